// The code chunker's rules: oversized units split at child boundaries with their context kept,
// tiny units merged, syntax errors tolerated, grammars that fail to load (or parses that time
// out) fall back to lines, token counting stays linear, and over-long lines are cut.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ArgumentError } from '../../../../../core/base/common/errors.js';
import { createChunker } from '../../../../../core/rag/chunk/node/chunker.js';
import { resolveTreeSitterPaths } from '../../../../../core/rag/chunk/node/treeSitterPaths.js';
import { TreeSitterParsers } from '../../../../../core/rag/chunk/node/TreeSitterParsers.js';
import { codeDocument, countWords, coverageProblems, outline } from '../support.js';

/** A class whose one method has `count` three-line if-statements (about 11 tokens each). */
function bigMethodSource(count: number): string {
  const statements = Array.from({ length: count }, (_, i) => [
    `    if (items[${i}] > ${i}) {`,
    `      total += items[${i}] * ${i + 1};`,
    '    }',
  ]).flat();
  return ['export class Big {', '  run(items: number[]): number {', '    let total = 0;', ...statements, '    return total;', '  }', '}', ''].join('\n');
}

test('an oversized method is split between statements, every piece keeping class > method', async () => {
  const text = bigMethodSource(40);
  const chunks = await createChunker({ countTokens: countWords, budget: 64 }).chunk(codeDocument(text, 'typescript'), '/r');
  assert.ok(chunks.length >= 6, `${chunks.length} chunks`);
  const lines = text.split('\n');
  for (const chunk of chunks) {
    assert.equal(chunk.context, 'export class Big > run(items: number[]): number');
    const first = lines[chunk.startLine - 1];
    assert.ok(chunk.startLine <= 3 || /^ {4}if \(/.test(first), `piece starts mid-statement: ${first}`);
    assert.ok(/^ {4}}$|^ {2}}$|^}$/.test(lines[chunk.endLine - 1]), `piece ends mid-statement at ${chunk.endLine}`);
  }
  assert.deepEqual(coverageProblems(text, chunks, 64), []);
});

test('an oversized Python function is split at its statements with its signature as context', async () => {
  const body = Array.from({ length: 30 }, (_, i) => `    if value > ${i}:\n        total += value * ${i}`).join('\n');
  const text = `class Scorer:\n    def score(self, value: int) -> int:\n        total = 0\n${body.replace(/^/gm, '    ')}\n        return total\n`;
  const chunks = await createChunker({ countTokens: countWords, budget: 48 }).chunk(codeDocument(text, 'python'), '/r');
  assert.ok(chunks.length >= 4);
  for (const chunk of chunks) assert.equal(chunk.context, 'class Scorer > def score(self, value: int) -> int');
  assert.deepEqual(coverageProblems(text, chunks, 48), []);
});

test('tiny neighbours (imports, constants, one-line functions) merge up to the budget', async () => {
  const oneLiners = Array.from({ length: 8 }, (_, i) => `export const f${i} = (x: number): number => x + ${i};`);
  const big = Array.from({ length: 12 }, (_, i) => `  const v${i} = input.length * ${i} + offset;`);
  const text = [
    "import { a } from './a.js';",
    "import { b } from './b.js';",
    '',
    'const LIMIT = 10;',
    'const NAME = "tiny";',
    '',
    ...oneLiners,
    '',
    'export function large(input: string, offset: number): number {',
    ...big,
    '  return offset;',
    '}',
    '',
  ].join('\n');
  const chunks = await createChunker({ countTokens: countWords }).chunk(codeDocument(text, 'typescript'), '/r');
  assert.deepEqual(outline(chunks), [
    [1, 14, ''],
    [16, 30, 'export function large(input: string, offset: number): number'],
  ]);
});

test('a tiny method alone between large ones keeps its own signature as context', async () => {
  const body = (name: string): string[] => [`  ${name}(): void {`, ...Array.from({ length: 6 }, (_, i) => `    this.count += ${i} * this.step;`), '  }'];
  const text = ['class Counter {', ...body('grow'), '  get size(): number { return this.count; }', ...body('shrink'), '}', ''].join('\n');
  const chunks = await createChunker({ countTokens: countWords, budget: 60, tinyTokens: 10 }).chunk(codeDocument(text, 'typescript'), '/r');
  assert.deepEqual(outline(chunks), [
    [1, 9, 'class Counter > grow(): void'],
    [10, 10, 'class Counter > get size(): number'],
    [11, 19, 'class Counter > shrink(): void'],
  ]);
});

test('a file with syntax errors still chunks, and units after the error are found', async () => {
  const text = [
    'export function ok(a: number): number {',
    '  return a + 1;',
    '}',
    '',
    'function broken(x {',
    '  const y = ;',
    '  return x +;',
    '',
    'class Foo {',
    '  method(): number {',
    '    return 1;',
    '  }',
    '}',
    '',
    'export function after(b: string): string {',
    '  return b.trim();',
    '}',
    '',
  ].join('\n');
  const chunks = await createChunker({ countTokens: countWords, budget: 20 }).chunk(codeDocument(text, 'typescript'), '/r');
  assert.deepEqual(coverageProblems(text, chunks, 20), []);
  assert.deepEqual(outline(chunks), [
    [1, 3, 'export function ok(a: number): number'],
    [5, 7, ''],
    [9, 13, 'class Foo'],
    [15, 17, 'export function after(b: string): string'],
  ]);
});

/** Parsers whose grammar folder has a corrupt TypeScript grammar, a JSON grammar named python, and no Go. */
const brokenDir = mkdtempSync(join(tmpdir(), 'pinpoint-grammars-'));
after(() => rmSync(brokenDir, { recursive: true, force: true }));

test('a grammar that fails to load falls back to lines, with the reason kept, and no crash', async () => {
  writeFileSync(join(brokenDir, 'tree-sitter-typescript.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 0, 7, 6, 100, 121, 108, 105, 110, 107]));
  const parsers = new TreeSitterParsers({ grammarDir: brokenDir });
  const chunker = createChunker({ countTokens: countWords, budget: 64 }, parsers);
  const lineChunker = createChunker({ countTokens: countWords, budget: 64 }, new TreeSitterParsers({ grammarDir: brokenDir }));
  const text = bigMethodSource(12);
  for (const language of ['typescript', 'go']) {
    const chunks = await chunker.chunk(codeDocument(text, language), '/r');
    assert.ok(chunks.length > 1);
    assert.ok(chunks.every((c) => c.context === ''), 'line chunks have no context');
    assert.deepEqual(coverageProblems(text, chunks, 64), []);
    assert.deepEqual(chunks, await lineChunker.chunk(codeDocument(text, language), '/r'));
  }
  assert.match(parsers.failures.get('typescript') ?? '', /tree-sitter-typescript\.wasm: not a loadable grammar/);
  assert.match(parsers.failures.get('go') ?? '', /tree-sitter-go\.wasm/);
  assert.equal(await parsers.parser('typescript'), undefined, 'the failure is remembered');
});

test('a grammar of the wrong language still yields full coverage', async () => {
  copyFileSync(join(resolveTreeSitterPaths().grammarDir, 'tree-sitter-json.wasm'), join(brokenDir, 'tree-sitter-python.wasm'));
  const parsers = new TreeSitterParsers({ grammarDir: brokenDir });
  const text = 'def f(x):\n    return {"a": x}\n\n\nclass A:\n    pass\n';
  const chunks = await createChunker({ countTokens: countWords, budget: 8 }, parsers).chunk(codeDocument(text, 'python'), '/r');
  assert.deepEqual(coverageProblems(text, chunks, 8), []);
});

test('a parse that runs past its time limit is cancelled and the file chunked by lines', async () => {
  const parsers = new TreeSitterParsers({ parseTimeoutMs: 0 });
  const text = bigMethodSource(400);
  assert.equal(await parsers.parse(text, 'typescript'), undefined);
  const chunks = await createChunker({ countTokens: countWords, budget: 64 }, parsers).chunk(codeDocument(text, 'typescript'), '/r');
  assert.ok(chunks.every((c) => c.context === ''));
  assert.deepEqual(coverageProblems(text, chunks, 64), []);
  const tree = await new TreeSitterParsers().parse('let a = 1;', 'typescript');
  assert.equal(tree?.rootNode.type, 'program', 'the parser is usable after a cancelled parse');
  tree?.delete();
});

test('.tsx files get the TSX grammar and JSX components are units', async () => {
  const text = [
    "import React from 'react';",
    '',
    'export function Greeting({ name }: { name: string }) {',
    '  const upper = name.toUpperCase();',
    '  return <div className="greeting">Hello {upper}</div>;',
    '}',
    '',
  ].join('\n');
  const chunks = await createChunker({ countTokens: countWords, budget: 40 }).chunk(codeDocument(text, 'typescript', 'src/Greeting.tsx'), '/r');
  assert.deepEqual(outline(chunks), [
    [1, 1, ''],
    [3, 6, 'export function Greeting({ name }: { name: string })'],
  ]);
});

test('countTokens is called about once per line (never on growing prefixes)', async () => {
  const text = bigMethodSource(600);
  let calls = 0;
  let chars = 0;
  const countTokens = (t: string): number => {
    calls++;
    chars += t.length;
    return countWords(t);
  };
  const chunks = await createChunker({ countTokens, budget: 128 }).chunk(codeDocument(text, 'typescript'), '/r');
  const lines = text.split('\n').length;
  assert.ok(calls <= lines + 10, `${calls} calls for ${lines} lines`);
  assert.ok(chars <= text.length * 1.05, `${chars} characters counted for ${text.length}`);
  assert.ok(chunks.length > 50);
});

test('a line longer than the hard maximum is cut into pieces that rebuild it', async () => {
  const line = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
  const text = `const a = 1;\nconst minified = "${line}";\nconst b = 2;\n`;
  const chunks = await createChunker({ countTokens: countWords, budget: 100, maxTokens: 200 }).chunk(codeDocument(text, 'javascript'), '/r');
  const pieces = chunks.filter((c) => c.startLine === 2);
  assert.ok(pieces.length >= 15);
  assert.equal(pieces.map((c) => c.text).join(''), text.split('\n')[1]);
  for (const piece of pieces) {
    assert.equal(piece.endLine, 2);
    assert.ok(countWords(piece.text) <= 200);
  }
  assert.deepEqual(coverageProblems(text, chunks, 200), []);
});

test('languages without a grammar are chunked by lines, cutting at blank lines', async () => {
  const paragraph = (i: number): string => Array.from({ length: 4 }, (_, j) => `       MOVE ${i} TO FIELD-${j}.`).join('\n');
  const text = Array.from({ length: 6 }, (_, i) => paragraph(i)).join('\n\n');
  const chunks = await createChunker({ countTokens: countWords, budget: 40 }).chunk(codeDocument(text, 'cobol', 'x.cbl'), '/r');
  assert.deepEqual(outline(chunks), [
    [1, 9, ''],
    [11, 19, ''],
    [21, 29, ''],
  ]);
  assert.equal(chunks[0].language, 'cobol');
});

test('a code document in several sections is chunked as the one file they make', async () => {
  const text = bigMethodSource(10);
  const lines = text.split('\n');
  const whole = await createChunker({ countTokens: countWords, budget: 64 }).chunk(codeDocument(text, 'typescript'), '/r');
  const split = await createChunker({ countTokens: countWords, budget: 64 }).chunk(
    {
      path: 'src/file',
      kind: 'code',
      language: 'typescript',
      sections: [
        { text: lines.slice(0, 12).join('\n'), startLine: 1, endLine: 12 },
        { text: lines.slice(12).join('\n'), startLine: 13, endLine: lines.length },
      ],
    },
    '/r',
  );
  assert.deepEqual(split, whole);
});

test('bad sizes are refused with the value named', () => {
  assert.throws(() => createChunker({ countTokens: countWords, budget: 2 }), ArgumentError);
  assert.throws(() => createChunker({ countTokens: countWords, budget: 100, overlapTokens: 60 }), /overlapTokens/);
});
