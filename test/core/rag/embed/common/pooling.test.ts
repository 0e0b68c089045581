// Pooling of token vectors: mean over real tokens, first token, last real token — with padding
// on the right or the left — and normalization.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { poolTokenVectors } from '../../../../../core/rag/embed/common/pooling.js';

// Two sequences of three positions, width 2. Sequence 0: tokens at 0, 1 (right padding).
// Sequence 1: tokens at 1, 2 (left padding).
const HIDDEN = Float32Array.of(1, 2, 3, 4, 100, 100, /**/ 100, 100, 5, 6, 7, 8);
const MASK = BigInt64Array.of(1n, 1n, 0n, 0n, 1n, 1n);

describe('poolTokenVectors', () => {
  it('mean of the real tokens only', () => {
    const [a, b] = poolTokenVectors(HIDDEN, [2, 3, 2], MASK, 'mean', false);
    assert.deepEqual(Array.from(a), [2, 3]);
    assert.deepEqual(Array.from(b), [6, 7]);
  });

  it('cls is the first real token, last is the last real token', () => {
    assert.deepEqual(poolTokenVectors(HIDDEN, [2, 3, 2], MASK, 'cls', false).map((v) => Array.from(v)), [[1, 2], [5, 6]]);
    assert.deepEqual(poolTokenVectors(HIDDEN, [2, 3, 2], MASK, 'last', false).map((v) => Array.from(v)), [[3, 4], [7, 8]]);
  });

  it('normalizes to unit length; an all-padding row stays zero', () => {
    const [a] = poolTokenVectors(Float32Array.of(3, 4), [1, 1, 2], [1], 'mean', true);
    assert.deepEqual(Array.from(a), [0.6000000238418579, 0.800000011920929]);
    const [empty] = poolTokenVectors(Float32Array.of(3, 4), [1, 1, 2], [0], 'mean', true);
    assert.deepEqual(Array.from(empty), [0, 0]);
  });
});
