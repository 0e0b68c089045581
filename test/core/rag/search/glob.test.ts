// Tests of path globs turned into regular expressions (run in JavaScript and in LanceDB's SQL).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgumentError } from '../../../../core/base/common/errors.js';
import { globToRegex, matchesGlob } from '../../../../core/rag/search/common/glob.js';

test('globs match paths as editors and .gitignore do', () => {
  const cases: [string, string, boolean][] = [
    ['*.ts', 'src/a/b.ts', true],
    ['*.ts', 'b.tsx', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['src/**/*.ts', 'lib/src/a.ts', false],
    ['/src/*.ts', 'src/a.ts', true],
    ['**/*.{ts,js}', 'a/b.js', true],
    ['docs/', 'docs/a/b.md', true],
    ['[ab].py', 'x/a.py', true],
    ['[!ab].py', 'x/a.py', false],
    ['test?.py', 'test1.py', true],
    ['test?.py', 'test/.py', false],
    ['a+b(c).md', 'a+b(c).md', true],
  ];
  for (const [glob, path, expected] of cases) assert.equal(matchesGlob(path, glob), expected, `${glob} ~ ${path}`);
  assert.equal(globToRegex('src/*.ts'), '^src/[^/]*\\.ts$');
});

test('bad globs name the problem', () => {
  assert.throws(() => globToRegex('a[bc'), (e: unknown) => e instanceof ArgumentError && /no closing "\]"/.test(e.message));
  assert.throws(() => globToRegex('{a,b'), /no closing "}"/);
  assert.throws(() => globToRegex(' '), /Empty path glob/);
});
