// q4_0: blocks of 32 weights stored as an f16 scale d and 32 4-bit quants q in 0..15;
// weight = d * (q - 8). Byte j holds weight j in its low nibble and weight j + 16 in its high one.
// Block layout (18 bytes): d f16 | qs u8[16]. Dot products pair it with q8_0 activations.

import { readF16, writeF16 } from './halfFloat.js';
import { QK8_0, Q8_0_BLOCK_BYTES } from './q8_0.js';
import { f32 } from './rounding.js';

/** Weights per q4_0 block. */
export const QK4_0 = 32;
/** Bytes per q4_0 block. */
export const Q4_0_BLOCK_BYTES = 18;

/** quantize_row_q4_0_ref: d = (value of largest magnitude) / -8, q = min(15, trunc(x / d + 8.5)). */
export function quantizeRowQ4_0(src: Float32Array, out: Uint8Array): void {
  for (let block = 0; block * QK4_0 < src.length; block++) {
    const x = block * QK4_0;
    const o = block * Q4_0_BLOCK_BYTES;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK4_0; j++) {
      if (amax < Math.abs(src[x + j])) {
        amax = Math.abs(src[x + j]);
        max = src[x + j];
      }
    }
    const d = f32(max / -8);
    const id = d ? f32(1 / d) : 0;
    writeF16(out, o, d);
    for (let j = 0; j < QK4_0 / 2; j++) {
      const low = Math.min(15, Math.trunc(f32(f32(src[x + j] * id) + 8.5)));
      const high = Math.min(15, Math.trunc(f32(f32(src[x + QK4_0 / 2 + j] * id) + 8.5)));
      out[o + 2 + j] = low | (high << 4);
    }
  }
}

/** dequantize_row_q4_0: weight = d * (q - 8). */
export function dequantizeRowQ4_0(src: Uint8Array, out: Float32Array): void {
  for (let block = 0; block * QK4_0 < out.length; block++) {
    const o = block * Q4_0_BLOCK_BYTES;
    const d = readF16(src, o);
    for (let j = 0; j < QK4_0 / 2; j++) {
      out[block * QK4_0 + j] = ((src[o + 2 + j] & 0x0f) - 8) * d;
      out[block * QK4_0 + QK4_0 / 2 + j] = ((src[o + 2 + j] >>> 4) - 8) * d;
    }
  }
}

/** q4_0 weights x q8_0 activations: sum over blocks of d_w * d_x * sum((q_w - 8) * q_x). */
export function vecDotQ4_0(weights: Uint8Array, activation: Uint8Array, n: number): number {
  const aq = new Int8Array(activation.buffer, activation.byteOffset, activation.byteLength);
  let sum = 0;
  for (let block = 0; block * QK4_0 < n; block++) {
    const w = block * Q4_0_BLOCK_BYTES;
    const a = block * Q8_0_BLOCK_BYTES;
    let sumi = 0;
    for (let j = 0; j < QK8_0 / 2; j++) {
      sumi += ((weights[w + 2 + j] & 0x0f) - 8) * aq[a + 2 + j];
      sumi += ((weights[w + 2 + j] >>> 4) - 8) * aq[a + 2 + QK8_0 / 2 + j];
    }
    sum += f32(sumi * f32(readF16(weights, w) * readF16(activation, a)));
  }
  return sum;
}
