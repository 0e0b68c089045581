// Whole-model runs shared by the Node tests and the Chromium page (plain TypeScript): greedy
// continuations and the logits of every prompt position, on any LanguageModel. The comparisons
// with the CPU backend live in the callers; this file only produces numbers.

import type { LanguageModel } from '../../../../core/engine/common/languageModel.js';

/** Index of the largest value (the first one on ties), as a CPU argmax. */
export function argmax(values: Float32Array): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j] > values[best]) best = j;
  return best;
}

/** Greedy continuation of `prompt` for `steps` tokens from an empty cache, past end-of-generation. */
export async function greedyTokens(model: LanguageModel, prompt: readonly number[], steps: number): Promise<number[]> {
  model.resetCache();
  const history = [...prompt];
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const logits = (await model.evaluate(history)).logits!;
    const best = argmax(logits);
    out.push(best);
    history.push(best);
  }
  return out;
}

/** Logits after every prompt position ([n * vocab]), in one batch from an empty cache. */
export async function promptLogits(model: LanguageModel, prompt: readonly number[]): Promise<Float32Array> {
  model.resetCache();
  return (await model.evaluate(prompt, 'all')).logits!;
}

/** Logits of decoding `prompt` one token at a time (the decode kernels at every position). */
export async function decodeLogits(model: LanguageModel, prompt: readonly number[]): Promise<Float32Array> {
  model.resetCache();
  const rows: Float32Array[] = [];
  for (let i = 1; i <= prompt.length; i++) rows.push((await model.evaluate(prompt.slice(0, i))).logits!);
  const out = new Float32Array(rows.length * rows[0].length);
  rows.forEach((r, i) => out.set(r, i * r.length));
  return out;
}

/**
 * Synthetic presets of every weight type, alternating llama GQA tied (run with an f32 KV cache) and
 * qwen2 MHA untied (NeoX RoPE, q/k/v biases; f16 KV cache), so both architectures, both attention
 * layouts, both output layouts and both cache types are covered.
 */
export const SYNTHETIC_PARITY_PRESETS: readonly { readonly preset: string; readonly type: string; readonly kvType: 'f32' | 'f16' }[] =
  ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_K', 'q6_K'].map((type, i) => (i % 2 === 0
    ? { preset: `tiny-${type}-gqa-tied`, type, kvType: 'f32' as const }
    : { preset: `tiny-qwen2-${type}-mha-untied`, type, kvType: 'f16' as const }));

/** The prompt of the synthetic parity runs (12 token ids of the stories260K vocabulary). */
export const SYNTHETIC_PROMPT: readonly number[] = [1, 403, 407, 261, 378, 29, 382, 280, 345, 322, 412, 46];

/**
 * Max |gpu - cpu| over max |cpu logit|, per weight type, with an f32 KV cache: f32 only differs by
 * the order of f32 sums; 16- and 8-bit activations can round one value a step the other way (as
 * against llama.cpp, llamaCppParity.test.ts). An f16 cache adds the same effect on keys and values
 * (one f16 step is 2^-11): at least 2e-3 then. Measured maxima are printed as diagnostics.
 */
export function logitTolerance(type: string, kvType: 'f32' | 'f16'): number {
  const byType: Record<string, number> = { f32: 1e-5, f16: 1e-2, bf16: 2e-2, q8_0: 5e-2, q4_0: 5e-2, q4_K: 5e-2, q6_K: 5e-2 };
  return kvType === 'f16' ? Math.max(byType[type], 2e-3) : byType[type];
}
