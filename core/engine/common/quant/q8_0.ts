// q8_0: blocks of 32 weights stored as an f16 scale d and 32 int8 quants q; weight = d * q.
// It is also the activation format llama.cpp's CPU matmul uses for q8_0 and q4_0 weights.
// Block layout (34 bytes): d f16 | qs int8[32].

import { readF16, writeF16 } from './halfFloat.js';
import { f32, roundHalfAway } from './rounding.js';

/** Weights per q8_0 block. */
export const QK8_0 = 32;
/** Bytes per q8_0 block. */
export const Q8_0_BLOCK_BYTES = 34;

function signedBytes(bytes: Uint8Array): Int8Array {
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** quantize_row_q8_0_ref: d = amax / 127, q = roundf(x / d). */
export function quantizeRowQ8_0(src: Float32Array, out: Uint8Array): void {
  const qs = signedBytes(out);
  for (let block = 0; block * QK8_0 < src.length; block++) {
    const x = block * QK8_0;
    const o = block * Q8_0_BLOCK_BYTES;
    let amax = 0;
    for (let j = 0; j < QK8_0; j++) amax = Math.max(amax, Math.abs(src[x + j]));
    const d = f32(amax / 127);
    const id = d ? f32(1 / d) : 0;
    writeF16(out, o, d);
    for (let j = 0; j < QK8_0; j++) qs[o + 2 + j] = roundHalfAway(f32(src[x + j] * id));
  }
}

/** dequantize_row_q8_0: weight = d * q. */
export function dequantizeRowQ8_0(src: Uint8Array, out: Float32Array): void {
  const qs = signedBytes(src);
  for (let block = 0; block * QK8_0 < out.length; block++) {
    const o = block * Q8_0_BLOCK_BYTES;
    const d = readF16(src, o);
    for (let j = 0; j < QK8_0; j++) out[block * QK8_0 + j] = qs[o + 2 + j] * d;
  }
}

/** q8_0 weights x q8_0 activations: sum over blocks of d_w * d_x * (integer dot of the quants). */
export function vecDotQ8_0(weights: Uint8Array, activation: Uint8Array, n: number): number {
  const wq = signedBytes(weights);
  const aq = signedBytes(activation);
  let sum = 0;
  for (let block = 0; block * QK8_0 < n; block++) {
    const o = block * Q8_0_BLOCK_BYTES;
    let sumi = 0;
    for (let j = 2; j < Q8_0_BLOCK_BYTES; j++) sumi += wq[o + j] * aq[o + j];
    sum += f32(sumi * f32(readF16(weights, o) * readF16(activation, o)));
  }
  return sum;
}
