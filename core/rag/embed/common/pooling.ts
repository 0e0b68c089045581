// Pooling of a transformer's token vectors into one vector per text, honouring the attention
// mask (padding on either side): mean of the real tokens, the first token (CLS), or the last
// real token (decoder-style embedders). Then optional L2 normalization.

import type { Pooling } from './knownModels.js';
import { l2Normalize } from './vectors.js';

/**
 * One vector per sequence from `hidden` (batch, sequence, width), row-major, with `mask`
 * (batch, sequence) of 1 for real tokens and 0 for padding.
 */
export function poolTokenVectors(
  hidden: Float32Array,
  dims: readonly [number, number, number],
  mask: ArrayLike<number | bigint>,
  pooling: Pooling,
  normalize: boolean,
): Float32Array[] {
  const [batch, sequence, width] = dims;
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const vector = new Float32Array(width);
    const real: number[] = [];
    for (let s = 0; s < sequence; s++) if (Number(mask[b * sequence + s]) !== 0) real.push(s);
    const positions = pooling === 'mean' ? real : pooling === 'cls' ? [real[0] ?? 0] : [real[real.length - 1] ?? sequence - 1];
    for (const s of positions) {
      const base = (b * sequence + s) * width;
      for (let j = 0; j < width; j++) vector[j] += hidden[base + j];
    }
    if (positions.length > 1) for (let j = 0; j < width; j++) vector[j] /= positions.length;
    out.push(normalize ? l2Normalize(vector) : vector);
  }
  return out;
}
