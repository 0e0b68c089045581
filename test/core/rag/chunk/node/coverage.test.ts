// The coverage property: every non-blank line of a file is in exactly one chunk, each chunk's
// text is its lines, and no chunk passes the budget (but a single line within the hard maximum).
// Checked over real TypeScript/JavaScript files from node_modules and generated programs in
// every language with a grammar, at several budgets.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { createChunker } from '../../../../../core/rag/chunk/node/chunker.js';
import { GENERATED_LANGUAGES, generateSource } from '../generatedSources.js';
import { codeDocument, countWords, coverageProblems } from '../support.js';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));

const LANGUAGE_OF: Record<string, string> = { '.ts': 'typescript', '.mts': 'typescript', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript' };

/** Source files under a few installed packages, sorted, each under 120 KB, up to `limit` bytes in all. */
function realFiles(limit: number): string[] {
  const roots = ['typescript/lib', 'esbuild/lib', 'eslint/lib', 'picomatch', 'ignore', 'web-tree-sitter', 'acorn/dist', 'espree', 'tsx/dist']
    .map((p) => join(repo, 'node_modules', p));
  const files: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (LANGUAGE_OF[/\.[^.]+$/.exec(name)?.[0] ?? ''] && stat.size > 0 && stat.size < 120_000) files.push(path);
    }
  };
  roots.forEach(walk);
  const picked: string[] = [];
  let bytes = 0;
  for (let i = 0; i < files.length && bytes < limit; i += 1 + (i % 3)) {
    picked.push(files[i]);
    bytes += statSync(files[i]).size;
  }
  return picked;
}

test('real TS/JS files from node_modules: every non-blank line in exactly one chunk', async () => {
  const files = realFiles(2_500_000);
  assert.ok(files.length >= 80, `${files.length} files`);
  const budgets = [384, 96];
  let chunks = 0;
  for (const [i, file] of files.entries()) {
    const text = readFileSync(file, 'utf8');
    const language = LANGUAGE_OF[/\.[^.]+$/.exec(file)![0]];
    const budget = budgets[i % budgets.length];
    const result = await createChunker({ countTokens: countWords, budget }).chunk(codeDocument(text, language, relative(repo, file)), repo);
    chunks += result.length;
    assert.deepEqual(coverageProblems(text, result, budget), [], relative(repo, file));
  }
  assert.ok(chunks > files.length);
});

for (const language of GENERATED_LANGUAGES) {
  test(`generated ${language} programs: full coverage at budgets 24, 64 and 256`, async () => {
    let nested = 0;
    let named = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const text = generateSource(language, seed * 7919 + language.length);
      for (const budget of [24, 64, 256]) {
        const chunks = await createChunker({ countTokens: countWords, budget }).chunk(codeDocument(text, language), '/g');
        assert.deepEqual(coverageProblems(text, chunks, budget), [], `${language} seed ${seed} budget ${budget}`);
        nested += chunks.filter((c) => c.context.includes(' > ')).length;
        named += chunks.filter((c) => c.context !== '').length;
      }
    }
    assert.ok(named > 0, 'some chunks carry a signature');
    // Go methods and C functions are top-level: no nesting there.
    if (language !== 'go' && language !== 'c') assert.ok(nested > 0, 'some chunks carry a nested path (class > method)');
  });
}
