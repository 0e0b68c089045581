// Tests of top-k, top-p and min-p: exact kept sets on hand-made logits, ties, and the heap
// selection against a plain full sort on a large vocabulary.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argmax, minP, resetCandidates, topK, topP, type Candidates } from '../../../../core/engine/common/sampling/filters.js';
import { createRandom } from '../../../../core/engine/common/sampling/random.js';

function candidatesOf(logits: ArrayLike<number>): Candidates {
  const values = Float32Array.from(logits);
  const candidates: Candidates = { logits: values, ids: new Int32Array(values.length), count: 0, sorted: false };
  resetCandidates(candidates, values);
  return candidates;
}

/** The kept ids, in the order the filters left them. */
function kept(candidates: Candidates): number[] {
  return Array.from(candidates.ids.subarray(0, candidates.count));
}

/** The same ranking as the sampler's (logit, then lower id), by a full sort. */
function rankedBySort(logits: Float32Array): number[] {
  return Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a] || a - b);
}

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

test('argmax picks the highest logit and the lowest id on ties', () => {
  assert.equal(argmax(Float32Array.from([0, 3, 1, 3])), 1);
  assert.equal(argmax(Float32Array.from([-5, -1, -1])), 1);
  assert.equal(argmax(Float32Array.from([7])), 0);
});

test('top-k keeps the k highest, best first; ties go to the lower id', () => {
  const c = candidatesOf([1, 5, 3, 5, -2, 4]);
  topK(c, 3);
  assert.deepEqual(kept(c), [1, 3, 5]);
  assert.equal(c.sorted, true);
  const ties = candidatesOf([2, 2, 2, 2]);
  topK(ties, 2);
  assert.deepEqual(kept(ties), [0, 1]);
});

test('top-k of 0 or of at least the vocabulary size keeps everything', () => {
  for (const k of [0, 6, 100]) {
    const c = candidatesOf([1, 5, 3, 5, -2, 4]);
    topK(c, k);
    assert.deepEqual(kept(c), [0, 1, 2, 3, 4, 5]);
  }
});

test('top-p keeps the smallest best-first prefix reaching p', () => {
  // probabilities 0.5, 0.25, 0.125, 0.125 (ids 2, 0, 1, 3)
  const logits = [Math.log(0.25), Math.log(0.125), Math.log(0.5), Math.log(0.125)];
  const cases: [number, number[]][] = [
    [0.4, [2]],
    [0.6, [2, 0]],
    [0.8, [2, 0, 1]],
    [0.9, [2, 0, 1, 3]],
    [0, [2]],
  ];
  for (const [p, expected] of cases) {
    const c = candidatesOf(logits);
    topP(c, p);
    assert.deepEqual(kept(c), expected, `p = ${p}`);
  }
  const off = candidatesOf(logits);
  topP(off, 1);
  assert.deepEqual(kept(off), [0, 1, 2, 3]);
});

test('top-p after top-k renormalizes over the k kept tokens', () => {
  // all: 0.4, 0.3, 0.2, 0.1; after top-2: 4/7, 3/7 -> p = 0.5 keeps one, p = 0.6 keeps two
  const logits = [0.4, 0.3, 0.2, 0.1].map(Math.log);
  const one = candidatesOf(logits);
  topK(one, 2);
  topP(one, 0.5);
  assert.deepEqual(kept(one), [0]);
  const two = candidatesOf(logits);
  topK(two, 2);
  topP(two, 0.6);
  assert.deepEqual(kept(two), [0, 1]);
});

test('min-p keeps tokens with probability at least p times the best', () => {
  // probabilities relative to the best: 1, 0.5, 0.2, 0.05
  const logits = [Math.log(0.05), Math.log(1), Math.log(0.2), Math.log(0.5)];
  const cases: [number, number[]][] = [
    [0.6, [1]],
    [0.3, [1, 3]],
    [0.1, [1, 2, 3]],
    [0.01, [0, 1, 2, 3]],
    [0, [0, 1, 2, 3]],
    [1, [1]],
  ];
  for (const [p, expected] of cases) {
    const unsorted = candidatesOf(logits);
    minP(unsorted, p);
    assert.deepEqual(kept(unsorted).sort(), expected, `unsorted, p = ${p}`);
    const sorted = candidatesOf(logits);
    sorted.ids.set(rankedBySort(sorted.logits));
    sorted.sorted = true;
    minP(sorted, p);
    assert.deepEqual(kept(sorted).sort(), expected, `sorted, p = ${p}`);
  }
});

test('heap selection matches a full sort on a large vocabulary with many ties', () => {
  const random = createRandom(3);
  const vocab = 20_000;
  const logits = Float32Array.from({ length: vocab }, () => Math.floor(random.nextFloat() * 500) / 50);
  const ranking = rankedBySort(logits);
  for (const k of [1, 2, 40, 1000]) {
    const c = candidatesOf(logits);
    topK(c, k);
    assert.deepEqual(kept(c), ranking.slice(0, k), `k = ${k}`);
  }
});

test('top-p over an unsorted large vocabulary grows its selection and matches a full sort', () => {
  const random = createRandom(4);
  const vocab = 5000;
  const logits = Float32Array.from({ length: vocab }, () => random.nextFloat() * 3);
  const ranking = rankedBySort(logits);
  const probabilities = softmax(Array.from(logits));
  for (const p of [0.05, 0.5, 0.95, 0.999]) {
    let cumulative = 0;
    let expected = 0;
    while (expected < vocab && cumulative < p) cumulative += probabilities[ranking[expected++]];
    const c = candidatesOf(logits);
    topP(c, p);
    assert.equal(c.count, expected, `p = ${p}`);
    assert.deepEqual(kept(c), ranking.slice(0, c.count), `p = ${p}`);
  }
});

test('top-p whose cut falls in the far tail ranks everything and still keeps a best-first prefix', () => {
  // 599 tokens 33 to 34 logits below the best: together about 3e-12 of the mass
  const logits = Float32Array.from({ length: 600 }, (_, i) => (i === 7 ? 0 : -33 - (i % 13) / 13));
  const c = candidatesOf(logits);
  topP(c, 1 - 1e-13);
  assert.ok(c.count > 500 && c.count < 600, `kept ${c.count}`);
  assert.deepEqual(kept(c), rankedBySort(logits).slice(0, c.count));
});
