// Inputs at the edges: empty files, only blank lines or comments, CRLF line ends, no final newline,
// astral characters before a signature, deeply nested expressions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createChunker } from '../../../../../core/rag/chunk/node/chunker.js';
import { codeDocument, countWords, coverageProblems, outline } from '../support.js';

const chunker = createChunker({ countTokens: countWords, budget: 32 });

test('empty and blank files give no chunks; a comment-only file gives its comment', async () => {
  for (const language of ['typescript', 'python', 'go', 'rust', 'java', 'c', 'cpp', 'csharp']) {
    assert.deepEqual(await chunker.chunk(codeDocument('', language), '/r'), []);
    assert.deepEqual(await chunker.chunk(codeDocument('\n\n  \n', language), '/r'), []);
  }
  const chunks = await chunker.chunk(codeDocument('// only\n// comments\n', 'rust'), '/r');
  assert.deepEqual(outline(chunks), [[1, 2, '']]);
});

test('CRLF line ends and a missing final newline keep exact lines', async () => {
  const text = 'def a(x):\r\n    return x\r\n\r\n\r\ndef b(y):\r\n    return [y,\r\n            y]';
  const chunks = await createChunker({ countTokens: countWords, budget: 12 }).chunk(codeDocument(text, 'python'), '/r');
  assert.deepEqual(outline(chunks), [
    [1, 2, 'def a(x)'],
    [5, 7, 'def b(y)'],
  ]);
  assert.equal(chunks[0].text, 'def a(x):\n    return x');
  assert.deepEqual(coverageProblems(text, chunks, 12), []);
});

test('astral characters before a unit do not shift its signature', async () => {
  const text = 'const s = "😀😀😀";\nexport function f(a: string): string {\n  return a + s;\n}\n';
  const chunks = await createChunker({ countTokens: countWords, budget: 24 }).chunk(codeDocument(text, 'typescript'), '/r');
  assert.deepEqual(outline(chunks), [
    [1, 1, ''],
    [2, 4, 'export function f(a: string): string'],
  ]);
});

test('a deeply nested generated expression is chunked without exhausting the stack', async () => {
  const depth = 3000;
  const text = `const total =\n${Array.from({ length: depth }, (_, i) => `  (${i} +`).join('\n')}\n  0${')'.repeat(depth)};\n`;
  const chunks = await chunker.chunk(codeDocument(text, 'javascript'), '/r');
  assert.deepEqual(coverageProblems(text, chunks, 32), []);
});
