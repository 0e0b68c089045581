// Tests of createSampler: greedy, the order of the chain, seeded reproducibility, sampling
// frequencies against softmax probabilities (chi-square), option validation, the candidates a
// step needs, and sampling from only those.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgumentError, BugIndicatingError } from '../../../../core/base/common/errors.js';
import { createSampler, DEFAULT_SAMPLING_OPTIONS, type SamplingOptions } from '../../../../core/engine/common/sampling/sampler.js';
import { createRandom } from '../../../../core/engine/common/sampling/random.js';
import { seededRandom } from '../../../support/seededRandom.js';

/** Every filter off, so tests turn on only what they check. */
const PLAIN: Partial<SamplingOptions> = { topK: 0, topP: 1, minP: 0, seed: 1 };

function softmax(logits: readonly number[], temperature: number): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp((l - max) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function frequencies(options: Partial<SamplingOptions>, logits: readonly number[], draws: number): number[] {
  const sampler = createSampler(options);
  const values = Float32Array.from(logits);
  const counts = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < draws; i++) counts[sampler.sample(values, [])]++;
  return counts;
}

/** Pearson's chi-square statistic over the tokens with non-zero expected probability. */
function chiSquare(counts: readonly number[], probabilities: readonly number[], draws: number): number {
  let statistic = 0;
  probabilities.forEach((p, i) => {
    if (p > 0) statistic += (counts[i] - draws * p) ** 2 / (draws * p);
  });
  return statistic;
}

// Critical values of chi-square at p = 0.001: the seeded runs are deterministic, and a correct
// sampler passes these with a wide margin.
const CHI_SQUARE_0_001: Record<number, number> = { 2: 13.82, 5: 20.52, 7: 24.32 };

test('temperature 0 is greedy: argmax, lowest id on ties, whatever the seed', () => {
  const logits = Float32Array.from([0.5, 2, -1, 2, 1.9]);
  for (const seed of [1, 2, 3]) {
    const sampler = createSampler({ temperature: 0, seed });
    assert.equal(sampler.sample(logits, []), 1);
    assert.equal(sampler.sample(logits, [7 % 5]), 1);
  }
});

test('greedy applies the penalties first, as llama.cpp\'s chain does', () => {
  const sampler = createSampler({ temperature: 0, repetitionPenalty: 2, seed: 1 });
  assert.equal(sampler.sample(Float32Array.from([1, 3, 2]), [1]), 2); // 3 / 2 = 1.5 < 2
  assert.equal(sampler.sample(Float32Array.from([1, 3, 2]), [1, 2]), 1); // 1.5 vs 1
  const presence = createSampler({ temperature: 0, presencePenalty: 5, seed: 1 });
  assert.equal(presence.sample(Float32Array.from([1, 3, 2]), [1, 2]), 0);
});

test('the caller\'s logits are never modified', () => {
  const logits = Float32Array.from([1, 3, 2, -1]);
  const sampler = createSampler({ ...PLAIN, temperature: 1, repetitionPenalty: 3, frequencyPenalty: 1 });
  for (let i = 0; i < 10; i++) sampler.sample(logits, [0, 1, 2, 3]);
  assert.deepEqual(Array.from(logits), [1, 3, 2, -1]);
});

test('the same seed and logits give the same tokens; another seed gives others', () => {
  const random = createRandom(9);
  const steps = Array.from({ length: 50 }, () => Float32Array.from({ length: 1000 }, () => random.nextFloat() * 4));
  const run = (seed: number): number[] => {
    const sampler = createSampler({ temperature: 1, topK: 0, topP: 0.99, minP: 0, seed });
    const history: number[] = [];
    for (const logits of steps) history.push(sampler.sample(logits, history));
    return history;
  };
  assert.deepEqual(run(1234), run(1234));
  assert.notDeepEqual(run(1234), run(1235));
});

test('a seeded run gives pinned tokens (portable PRNG, deterministic ranking)', () => {
  const logits = Float32Array.from([0.1, 1.2, 0.7, 2.0, -0.5, 1.9, 0.3, 1.1]);
  const sampler = createSampler({ ...DEFAULT_SAMPLING_OPTIONS, seed: 42 });
  const tokens = Array.from({ length: 12 }, () => sampler.sample(logits, []));
  assert.deepEqual(tokens, PINNED_TOKENS);
});
const PINNED_TOKENS = [1, 1, 2, 7, 3, 5, 3, 3, 5, 3, 2, 5];

test('sampling frequencies follow softmax(logits / temperature) (chi-square, p = 0.001)', () => {
  const logits = [1.0, 0.2, -0.5, 2.0, 1.5, 0.0];
  const draws = 40_000;
  for (const [temperature, seed] of [[1, 11], [0.7, 12], [1.8, 13]]) {
    const counts = frequencies({ ...PLAIN, temperature, seed }, logits, draws);
    const statistic = chiSquare(counts, softmax(logits, temperature), draws);
    assert.ok(statistic < CHI_SQUARE_0_001[5], `T = ${temperature}: chi-square ${statistic.toFixed(2)}`);
  }
});

test('after top-k the draw follows the renormalized probabilities of the kept tokens only', () => {
  const logits = [1.0, 0.2, -0.5, 2.0, 1.5, 0.0];
  const draws = 30_000;
  const counts = frequencies({ ...PLAIN, temperature: 0.9, topK: 3, seed: 21 }, logits, draws);
  const kept = softmax([1.0, 2.0, 1.5], 0.9);
  const expected = [kept[0], 0, 0, kept[1], kept[2], 0];
  assert.deepEqual([counts[1], counts[2], counts[5]], [0, 0, 0]);
  assert.ok(chiSquare(counts, expected, draws) < CHI_SQUARE_0_001[2]);
});

test('a large vocabulary with the default chain: frequencies match the kept set', () => {
  const random = createRandom(5);
  const vocab = 152_064;
  const logits = Float32Array.from({ length: vocab }, () => random.nextFloat() * 6);
  const top = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a] || a - b).slice(0, 8);
  for (const [rank, id] of top.entries()) logits[id] += 9 - rank; // eight clear leaders
  const sampler = createSampler({ temperature: 1, topK: 8, topP: 1, minP: 0, seed: 6 });
  const probabilities = softmax(top.map((id) => logits[id]), 1);
  const counts = new Array<number>(8).fill(0);
  const draws = 1500;
  for (let i = 0; i < draws; i++) {
    const index = top.indexOf(sampler.sample(logits, []));
    assert.ok(index >= 0, 'only the top 8 are drawn');
    counts[index]++;
  }
  assert.ok(chiSquare(counts, probabilities, draws) < CHI_SQUARE_0_001[7]);
});

test('options default to llama.cpp\'s, and a missing seed is drawn and reported', () => {
  const sampler = createSampler({ seed: 5 });
  assert.deepEqual({ ...sampler.options, seed: undefined }, { ...DEFAULT_SAMPLING_OPTIONS, seed: undefined });
  const random = createSampler();
  assert.ok(Number.isSafeInteger(random.options.seed) && random.options.seed >= 0);
  const undefinedFields = createSampler({ topK: undefined, seed: 3 });
  assert.equal(undefinedFields.options.topK, 40);
});

test('invalid options are rejected with the option, the value and what is allowed', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ temperature: -0.5 }, 'Invalid sampling option temperature: -0.5. Should be a number >= 0 (0 = greedy).'],
    [{ temperature: Number.NaN }, 'Invalid sampling option temperature: NaN. Should be a number >= 0 (0 = greedy).'],
    [{ topK: 2.5 }, 'Invalid sampling option topK: 2.5. Should be an integer >= 0 (0 = off).'],
    [{ topK: -1 }, 'Invalid sampling option topK: -1. Should be an integer >= 0 (0 = off).'],
    [{ topP: 1.5 }, 'Invalid sampling option topP: 1.5. Should be a number in [0, 1] (1 = off).'],
    [{ minP: -0.1 }, 'Invalid sampling option minP: -0.1. Should be a number in [0, 1] (0 = off).'],
    [{ repetitionPenalty: 0 }, 'Invalid sampling option repetitionPenalty: 0. Should be a number > 0 (1 = off).'],
    [{ presencePenalty: Infinity }, 'Invalid sampling option presencePenalty: Infinity. Should be a finite number (0 = off).'],
    [{ frequencyPenalty: '1' }, 'Invalid sampling option frequencyPenalty: "1". Should be a finite number (0 = off).'],
    [{ penaltyLastN: -2 }, 'Invalid sampling option penaltyLastN: -2. Should be an integer >= -1 (0 = off, -1 = whole history).'],
    [{ seed: -1 }, 'Invalid sampling option seed: -1. Should be an integer in [0, 2^53).'],
    [{ seed: 2 ** 53 }, `Invalid sampling option seed: ${2 ** 53}. Should be an integer in [0, 2^53).`],
    [
      { temprature: 1 },
      'Unknown sampling option: "temprature". Should be one of: temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed.',
    ],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => createSampler(options as Partial<SamplingOptions>), (error: unknown) => {
      assert.ok(error instanceof ArgumentError, `${JSON.stringify(options)} throws an ArgumentError`);
      assert.equal(error.message, message);
      return true;
    });
  }
});

test('bad calls fail clearly: empty logits, history outside the vocabulary, use after dispose', () => {
  const sampler = createSampler({ seed: 1, repetitionPenalty: 1.1 });
  assert.throws(() => sampler.sample(new Float32Array(0), []), ArgumentError);
  assert.throws(() => sampler.sample(Float32Array.from([1, 2]), [2]), /history\[0\]: 2/);
  assert.equal(typeof sampler.sample(Float32Array.from([1, 2, 3]), [0]), 'number'); // other vocab size
  sampler.dispose();
  assert.throws(() => sampler.sample(Float32Array.from([1, 2]), []), BugIndicatingError);
});

test('candidatesNeeded: 1 when greedy, top-k when on, the whole row with penalties or no top-k', () => {
  const needed = (options: Parameters<typeof createSampler>[0]) => {
    const sampler = createSampler(options);
    sampler.dispose();
    return sampler.candidatesNeeded;
  };
  assert.equal(needed({ temperature: 0 }), 1);
  assert.equal(needed({ temperature: 0.8, topK: 40 }), 40);
  assert.equal(needed({ temperature: 0.8, topK: 0 }), undefined);
  assert.equal(needed({ temperature: 0, repetitionPenalty: 1.1 }), undefined);
  assert.equal(needed({ temperature: 0.8, topK: 40, presencePenalty: 0.5 }), undefined);
  assert.equal(needed({ temperature: 0, repetitionPenalty: 1.1, penaltyLastN: 0 }), 1);
});

test('sampling from a row where only the top-k logits are real picks what the whole row gives', () => {
  const random = seededRandom(5);
  for (const options of [{ temperature: 0 }, { temperature: 1, topK: 8, topP: 0.9, minP: 0.02, seed: 3 }]) {
    const whole = createSampler(options), top = createSampler(options);
    const k = whole.candidatesNeeded!;
    for (let step = 0; step < 50; step++) {
      const logits = random.normals(300);
      const ids = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a] || a - b).slice(0, k);
      const sparse = new Float32Array(300).fill(-Infinity);
      for (const id of ids) sparse[id] = logits[id];
      assert.equal(top.sample(sparse, []), whole.sample(logits, []), `step ${step}`);
    }
  }
});
