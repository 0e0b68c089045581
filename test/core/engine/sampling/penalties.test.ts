// Tests of the repetition / frequency / presence penalties against llama.cpp's formulas.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgumentError } from '../../../../core/base/common/errors.js';
import { applyPenalties, type PenaltyOptions } from '../../../../core/engine/common/sampling/penalties.js';

const OFF: PenaltyOptions = { repetitionPenalty: 1, frequencyPenalty: 0, presencePenalty: 0, penaltyLastN: 64 };

function penalize(logits: number[], history: number[], options: Partial<PenaltyOptions>): number[] {
  const values = Float32Array.from(logits);
  const counts = new Int32Array(values.length);
  applyPenalties(values, history, { ...OFF, ...options }, counts);
  assert.ok(counts.every((c) => c === 0), 'counts scratch is left zeroed');
  return Array.from(values);
}

test('repetition penalty divides positive logits and multiplies negative ones, once per token', () => {
  const out = penalize([4, -3, 0, 2.5, 1], [0, 1, 2, 0, 0], { repetitionPenalty: 2 });
  assert.deepEqual(out, [2, -6, 0, 2.5, 1]);
});

test('frequency subtracts per occurrence, presence once', () => {
  const out = penalize([4, -3, 0, 2.5], [0, 0, 0, 1, 3], { frequencyPenalty: 0.5, presencePenalty: 0.25 });
  // token 0: 4 - 3*0.5 - 0.25; token 1: -3 - 0.5 - 0.25; token 3: 2.5 - 0.5 - 0.25
  assert.deepEqual(out, [2.25, -3.75, 0, 1.75]);
});

test('all three together: repeat first, then frequency and presence', () => {
  const out = penalize([3, -1], [0, 1, 1], { repetitionPenalty: 1.5, frequencyPenalty: 0.25, presencePenalty: 1 });
  assert.deepEqual(out, [Math.fround(2 - 0.25 - 1), Math.fround(-1.5 - 0.5 - 1)]);
});

test('only the last penaltyLastN tokens count; -1 means the whole history; 0 turns penalties off', () => {
  const history = [0, 0, 1, 2];
  assert.deepEqual(penalize([1, 1, 1], history, { frequencyPenalty: 1, penaltyLastN: 2 }), [1, 0, 0]);
  assert.deepEqual(penalize([1, 1, 1], history, { frequencyPenalty: 1, penaltyLastN: -1 }), [-1, 0, 0]);
  assert.deepEqual(penalize([1, 1, 1], history, { frequencyPenalty: 1, penaltyLastN: 0 }), [1, 1, 1]);
  assert.deepEqual(penalize([1, 1, 1], history, { frequencyPenalty: 1, penaltyLastN: 100 }), [-1, 0, 0]);
});

test('neutral settings leave the logits untouched, even with a history', () => {
  assert.deepEqual(penalize([1, -2, 3], [0, 1, 2, 2], {}), [1, -2, 3]);
});

test('a history token outside the vocabulary is rejected with its position', () => {
  assert.throws(() => penalize([1, 2], [0, 5], { repetitionPenalty: 1.1 }), (error: unknown) => {
    assert.ok(error instanceof ArgumentError);
    assert.equal(error.message, 'Invalid token id in history[1]: 5. Should be an integer in [0, 2).');
    return true;
  });
  assert.throws(() => penalize([1, 2], [-1], { presencePenalty: 1 }), ArgumentError);
  assert.throws(() => penalize([1, 2], [0.5], { presencePenalty: 1 }), ArgumentError);
});
