// Tests of fusion tuning and its guard: a dense retriever that is reliably better on a share of
// queries earns a weight; one that is noise (or helps only by chance) does not, and the result
// is the BM25-only setting, under which hybrid equals BM25 exactly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RankedCandidate } from '../../../../core/rag/search/common/fusion.js';
import { bootstrapLowerBound, BM25_ONLY, tuneFusion, type TuningSet } from '../../../../core/rag/eval/common/tuneFusion.js';

/** A deterministic generator (LCG) for the synthetic lists. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

const ranked = (keys: string[]): RankedCandidate[] => keys.map((key, i) => ({ key, score: 100 - i }));

/**
 * 200 queries, one relevant document each. BM25 puts it at rank 1 for 40% of queries, else at a
 * rank from 5 to 30. The dense list is `good` (relevant at rank 1-2 on 70% of queries) or noise.
 */
function syntheticSet(name: string, good: boolean, seed: number): TuningSet {
  const next = lcg(seed);
  const lists = new Map<string, { bm25: RankedCandidate[]; dense: RankedCandidate[] }>();
  const qrels = new Map<string, Map<string, number>>();
  for (let q = 0; q < 200; q++) {
    const docs = Array.from({ length: 50 }, (_, i) => `q${q}-d${i}`);
    const relevant = docs[0];
    const others = docs.slice(1);
    const bm25Rank = next() < 0.4 ? 0 : 4 + Math.floor(next() * 26);
    const bm25 = [...others];
    bm25.splice(bm25Rank, 0, relevant);
    const shuffled = [...others].sort(() => next() - 0.5);
    const denseRank = good && next() < 0.7 ? Math.floor(next() * 2) : 10 + Math.floor(next() * 40);
    // A good dense list also shares BM25's head, as good embedders do.
    const dense = good ? [...bm25.slice(0, 10).filter((d) => d !== relevant), ...shuffled].filter((d, i, a) => a.indexOf(d) === i) : shuffled;
    dense.splice(Math.min(denseRank, dense.length), 0, relevant);
    lists.set(`q${q}`, { bm25: ranked(bm25.slice(0, 100)), dense: ranked(dense.slice(0, 100)) });
    qrels.set(`q${q}`, new Map([[relevant, 1]]));
  }
  return { name, lists, qrels };
}

test('a reliably better dense list gets a positive weight and a gain over BM25', () => {
  const result = tuneFusion([syntheticSet('a', true, 1), syntheticSet('b', true, 2)], undefined, { resamples: 300 });
  assert.equal(result.fellBack, false);
  assert.ok(result.params.denseWeight > 0);
  for (const gain of Object.values(result.gains)) {
    assert.ok(gain.fused > gain.bm25 + 0.03, JSON.stringify(gain));
    assert.ok(gain.lowerBound > 0);
  }
});

test('a noise dense list fails the guard: hybrid is BM25 alone', () => {
  const result = tuneFusion([syntheticSet('a', false, 3), syntheticSet('b', false, 4)], undefined, { resamples: 300 });
  assert.equal(result.fellBack, true);
  assert.deepEqual(result.params, BM25_ONLY);
  assert.equal(result.params.denseWeight, 0);
});

test('bootstrap lower bound: below the mean, above 0 for a clearly positive sample', () => {
  const diffs = Float64Array.from({ length: 100 }, (_, i) => 0.1 + (i % 5) * 0.01);
  const bound = bootstrapLowerBound(diffs, 500, 0.95, 1);
  assert.ok(bound > 0.1 && bound < 0.12);
  assert.ok(bootstrapLowerBound(Float64Array.from([-1, 1, -1, 1]), 500, 0.95, 1) < 0);
  assert.equal(bootstrapLowerBound(new Float64Array(0), 10, 0.95, 1), 0);
});
