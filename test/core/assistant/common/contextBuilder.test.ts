// The context builder on synthetic chunks with a word-count tokenizer: whole files when they fit,
// else results with their neighbours, else alone, else omitted with the tokens they needed; pieces
// merged and ordered by file rank and position; overlapping document chunks joined line by line.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildContext, type ContextBuildOptions } from '../../../../core/assistant/common/contextBuilder.js';
import { consecutiveRuns, joinChunks, type PassageChunk } from '../../../../core/assistant/common/joinChunks.js';
import type { SearchResult } from '../../../../core/rag/search/common/types.js';

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** `count` chunks of 10 lines each ("<path> line <n>"), ordinals from 0. */
function fileChunks(path: string, count: number, page?: number): PassageChunk[] {
  return Array.from({ length: count }, (_, ordinal) => {
    const startLine = ordinal * 10 + 1;
    const lines = Array.from({ length: 10 }, (_, i) => `${path} line ${startLine + i}`);
    return { root: '/r', path, language: 'typescript', startLine, endLine: startLine + 9, text: lines.join('\n'), ordinal, ...(page ? { page } : {}) };
  });
}

function hit(chunk: PassageChunk, score: number): SearchResult {
  const { ordinal, ...rest } = chunk;
  return { ...rest, context: '', score, scores: { fused: score }, ordinals: [ordinal] };
}

const options = (budget: number, extra: Partial<ContextBuildOptions> = {}): ContextBuildOptions => ({ budget, countTokens: words, ...extra });

const small = fileChunks('small.ts', 2);
const big = fileChunks('big.ts', 20);

test('whole files when they fit, best file first, with their token counts', () => {
  const built = buildContext([hit(big[5], 0.9), hit(small[1], 0.5)], [...small, ...big], options(10_000));
  assert.deepEqual(built.pieces.map((p) => [p.path, p.startLine, p.endLine, p.wholeFile]), [['big.ts', 1, 200, true], ['small.ts', 1, 20, true]]);
  assert.equal(built.pieces[0].text.split('\n').length, 200);
  assert.equal(built.tokens, built.pieces.reduce((n, p) => n + p.tokens, 0));
  assert.ok(built.tokens <= 10_000);
  assert.deepEqual(built.omitted, []);
});

test('a file that does not fit whole gives its results with their neighbours, merged and in line order', () => {
  // A block of n chunks costs 30n + 4 words: 9 with 8..10 (94), 3 with 2..4 (94), 11 with 10..12
  // merged into 8..12 (+60), small.ts whole with its "(whole file)" mark (66): 314.
  const results = [hit(big[9], 0.9), hit(big[3], 0.8), hit(big[11], 0.7), hit(small[0], 0.5)];
  const built = buildContext(results, [...small, ...big], options(320));
  const pieces = built.pieces.map((p) => [p.path, p.startLine, p.endLine, p.wholeFile]);
  assert.deepEqual(pieces, [['big.ts', 21, 50, false], ['big.ts', 81, 130, false], ['small.ts', 1, 20, true]]);
  assert.ok(built.pieces[0].wholeFileMinTokens! > 320 - 94, 'the whole file was measured past the room left and reported');
  assert.equal(built.pieces[1].score, 0.9);
  assert.equal(built.tokens, 314);
  assert.deepEqual(built.omitted, []);
});

test('a small budget takes results alone, then leaves the rest out with the tokens they needed', () => {
  const results = [hit(big[9], 0.9), hit(big[3], 0.8), hit(small[0], 0.5)];
  const built = buildContext(results, [...small, ...big], options(40));
  assert.deepEqual(built.pieces.map((p) => [p.path, p.startLine]), [['big.ts', 91]]);
  assert.equal(built.tokens, 34);
  assert.deepEqual(built.omitted.map((o) => [o.path, o.startLine, o.reason]), [['big.ts', 31, 'budget'], ['small.ts', 1, 'budget']]);
  assert.ok(built.omitted.every((o) => o.tokens > 0));
  const nothing = buildContext(results, [...small, ...big], options(0));
  assert.deepEqual([nothing.pieces.length, nothing.tokens, nothing.omitted.length], [0, 0, 3]);
});

test('whole files can be turned off; a result whose chunk is gone from the index is reported stale', () => {
  const built = buildContext([hit(small[0], 0.9), { ...hit(big[0], 0.4), ordinals: [99] }], [...small, ...big], options(10_000, { wholeFiles: false, neighbours: 0 }));
  assert.deepEqual(built.pieces.map((p) => [p.path, p.startLine, p.endLine, p.wholeFile]), [['small.ts', 1, 10, false]]);
  assert.deepEqual(built.omitted.map((o) => [o.path, o.reason, o.tokens]), [['big.ts', 'stale', 0]]);
});

test('a paged document in whole is one piece per page', () => {
  const pdf = [...fileChunks('manual.pdf', 2, 1), ...fileChunks('manual.pdf', 1, 2).map((c) => ({ ...c, ordinal: 2 }))];
  const built = buildContext([hit(pdf[2], 0.9)], pdf, options(10_000));
  assert.deepEqual(built.pieces.map((p) => [p.page, p.wholeFile]), [[1, true], [2, true]]);
  assert.equal(built.pieces[1].score, 0.9);
});

test('joinChunks: overlapping document lines appear once, the blank lines between code chunks come back', () => {
  const base = { root: '/r', path: 'a.md', language: 'markdown' };
  const overlapping = [
    { ...base, startLine: 1, endLine: 4, ordinal: 0, text: '# Title\nOne.\nTwo.\nThree.' },
    { ...base, startLine: 3, endLine: 6, ordinal: 1, text: 'Two.\nThree.\nFour.\nFive.' },
  ];
  assert.equal(joinChunks(overlapping), '# Title\nOne.\nTwo.\nThree.\nFour.\nFive.');
  const code = [
    { ...base, startLine: 1, endLine: 2, ordinal: 0, text: 'a\nb' },
    { ...base, startLine: 5, endLine: 5, ordinal: 1, text: 'c' },
  ];
  assert.equal(joinChunks(code), 'a\nb\n\n\nc');
  assert.deepEqual(consecutiveRuns([...code, { ...base, startLine: 9, endLine: 9, ordinal: 3, text: 'd' }]).map((r) => r.length), [2, 1]);
});
