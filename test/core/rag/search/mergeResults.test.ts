// Tests of merging overlapping and adjacent chunks of one file into one result.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeAdjacent } from '../../../../core/rag/search/common/mergeResults.js';
import type { SearchResult } from '../../../../core/rag/search/common/types.js';

function result(path: string, startLine: number, endLine: number, score: number, extra: Partial<SearchResult> = {}): SearchResult {
  const text = Array.from({ length: endLine - startLine + 1 }, (_, i) => `line ${startLine + i}`).join('\n');
  return { root: '/r', path, language: 'ts', startLine, endLine, text, context: '', score, scores: { fused: score, bm25: score * 10 }, ordinals: [startLine], ...extra };
}

test('overlapping chunks merge into one span with each line once, scored by the best piece', () => {
  const merged = mergeAdjacent([result('a.ts', 1, 10, 0.5), result('b.ts', 1, 5, 0.7), result('a.ts', 8, 14, 0.9)]);
  assert.equal(merged.length, 2);
  const a = merged[0];
  assert.deepEqual([a.path, a.startLine, a.endLine, a.score, a.scores.bm25, a.ordinals], ['a.ts', 1, 14, 0.9, 9, [1, 8]]);
  assert.equal(a.text, Array.from({ length: 14 }, (_, i) => `line ${i + 1}`).join('\n'));
  assert.equal(merged[1].path, 'b.ts');
});

test('adjacent chunks merge; a gap or another page keeps them apart', () => {
  assert.equal(mergeAdjacent([result('a.ts', 1, 10, 1), result('a.ts', 11, 20, 1)]).length, 1);
  assert.equal(mergeAdjacent([result('a.ts', 1, 10, 1), result('a.ts', 12, 20, 1)]).length, 2);
  const pages = mergeAdjacent([result('d.pdf', 1, 10, 1, { page: 1 }), result('d.pdf', 5, 10, 1, { page: 2 })]);
  assert.equal(pages.length, 2);
});

test('a chunk inside another adds nothing to the text; score parts keep the best of each', () => {
  const outer = result('a.ts', 1, 20, 0.4, { scores: { fused: 0.4, dense: 0.8, denseRank: 3 } });
  const inner = result('a.ts', 5, 8, 0.6, { scores: { fused: 0.6, bm25: 2, bm25Rank: 1 } });
  const [m] = mergeAdjacent([outer, inner]);
  assert.equal(m.text, outer.text);
  assert.deepEqual(m.scores, { fused: 0.6, bm25: 2, dense: 0.8, bm25Rank: 1, denseRank: 3 });
});
