// Metrics on hand-computed examples, with trec_eval / pytrec_eval conventions: linear gains in
// nDCG, ideal ranking from every judged relevant document, grade 0 = not relevant, ties in a run
// broken by document id descending, a judged query with no results scoring 0.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanMetrics, mrrAt, ndcgAt, queryMetrics, recallAt, trecOrder } from '../../../../core/rag/eval/common/metrics.js';

const judged = new Map([['d1', 1], ['d2', 2], ['d5', 1], ['d6', 0]]);
const ranked = ['d3', 'd1', 'd2', 'd4', 'd6'];

test('nDCG@10 by hand: DCG = 1/log2(3) + 2/log2(4); IDCG = 2 + 1/log2(3) + 1/log2(4)', () => {
  const dcg = 1 / Math.log2(3) + 2 / 2;
  const idcg = 2 + 1 / Math.log2(3) + 1 / 2;
  assert.equal(ndcgAt(ranked, judged, 10), dcg / idcg);
  assert.ok(Math.abs(ndcgAt(ranked, judged, 10) - 0.520909) < 1e-6);
  assert.equal(ndcgAt(['d2', 'd1', 'd5'], judged, 10), 1, 'ideal order');
  assert.equal(ndcgAt(['x', 'd2'], new Map([['d2', 1]]), 10), 1 / Math.log2(3), 'one relevant at rank 2: 0.6309 as pytrec_eval');
  assert.equal(ndcgAt(ranked, judged, 2), 1 / Math.log2(3) / (2 + 1 / Math.log2(3)), 'cut at 2: ideal also cut at 2');
  assert.equal(ndcgAt(ranked, new Map([['d6', 0]]), 10), 0, 'no relevant document');
});

test('Recall@100 and MRR@10 by hand; grade 0 is not relevant', () => {
  assert.equal(recallAt(ranked, judged, 100), 2 / 3);
  assert.equal(recallAt(ranked, judged, 2), 1 / 3);
  assert.equal(mrrAt(ranked, judged, 10), 1 / 2);
  assert.equal(mrrAt(['d6', 'x', 'd5'], judged, 10), 1 / 3);
  assert.equal(mrrAt(['d6', 'x', 'd5'], judged, 2), 0, 'first relevant past the cut');
  assert.deepEqual(queryMetrics(ranked, judged), { 'ndcg@10': ndcgAt(ranked, judged, 10), 'recall@100': 2 / 3, 'mrr@10': 0.5 });
});

test('ties in a run are ordered as trec_eval orders them: score, then document id descending', () => {
  assert.deepEqual(trecOrder([{ id: 'a', score: 1 }, { id: 'c', score: 2 }, { id: 'b', score: 1 }]).map((d) => d.id), ['c', 'b', 'a']);
});

test('means: over judged queries with a relevant document; no results count 0; duplicates once', () => {
  const qrels = new Map([
    ['q1', new Map([['d1', 1]])],
    ['q2', new Map([['d2', 1]])],
    ['q3', new Map([['d3', 0]])],
  ]);
  const runs = new Map([['q1', ['d1', 'd1', 'x']], ['q9', ['d1']]]);
  const m = meanMetrics(runs, qrels);
  assert.deepEqual(m, { 'ndcg@10': 0.5, 'recall@100': 0.5, 'mrr@10': 0.5, queries: 2 });
  assert.equal(meanMetrics(new Map([['q1', ['x', 'd1', 'd1']]]), new Map([['q1', new Map([['d1', 1]])]]))['ndcg@10'], 1 / Math.log2(3));
});
