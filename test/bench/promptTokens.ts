// Benchmark prompts as token ids: a seeded pseudo-random sequence, identical for Pinpoint and the
// peer, avoiding the first ids of the vocabulary (control and byte tokens in Llama vocabularies).

/** `count` ids in [first, vocab) from a linear congruential sequence seeded by `seed`. */
export function benchPromptTokens(vocab: number, count: number, seed: number): number[] {
  const first = Math.min(259, vocab - 1);
  let state = (seed * 2654435761) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.push(first + (state % (vocab - first)));
  }
  return out;
}
