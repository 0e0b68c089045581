// End to end: a Hugging Face folder made from stories260K (Q/K rows un-permuted, NeoX RoPE) must
// give the same logits on the CPU engine as the GGUF it came from (interleaved RoPE). This checks
// the name map, the [out, in] -> [in, out] dims, the RoPE style and the F16/BF16 TensorRefs.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadLanguageModel, type LoadedLanguageModel } from '../../../../core/engine/node/loadLanguageModel.js';
import { STORIES_GGUF, writeHfFixture } from '../../../fixtures/hf/hfFromGguf.js';

const TOKENS = [1, 403, 407, 195, 261, 29, 3, 100, 511, 2];
let tmp: string;
let reference: Float32Array;

/** Logits of every token, all in one batched pass (the prefill path), with an f32 KV cache. */
async function logitsOf(path: string): Promise<Float32Array> {
  const loaded: LoadedLanguageModel = await loadLanguageModel(path, { threads: 1, contextLength: 64, kvType: 'f32' });
  try {
    const { logits } = await loaded.model.evaluate(TOKENS, 'all');
    assert.ok(logits);
    assert.equal(logits.length, TOKENS.length * 512);
    return logits;
  } finally {
    await loaded.dispose();
  }
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function argmaxRows(logits: Float32Array, vocab: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < logits.length / vocab; row++) {
    let best = 0;
    for (let i = 1; i < vocab; i++) if (logits[row * vocab + i] > logits[row * vocab + best]) best = i;
    out.push(best);
  }
  return out;
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pinpoint-hf-eq-'));
  reference = await logitsOf(STORIES_GGUF);
});
after(async () => rm(tmp, { recursive: true, force: true }));

for (const [dtype, tolerance] of [['F32', 1e-4], ['F16', 0.05], ['BF16', 0.25]] as const) {
  test(`a ${dtype} Hugging Face folder gives the GGUF's logits (max difference ${tolerance})`, async (t) => {
    const fixture = await writeHfFixture(join(tmp, dtype), { dtype, shards: dtype === 'F16' ? 2 : 1, vectorsF32: true });
    const logits = await logitsOf(fixture.dir);
    const difference = maxDifference(logits, reference);
    t.diagnostic(`max |logit difference| ${difference.toExponential(2)}`);
    assert.ok(difference < tolerance, `max difference ${difference}`);
    if (dtype === 'F32') assert.deepEqual(argmaxRows(logits, 512), argmaxRows(reference, 512));
  });
}
