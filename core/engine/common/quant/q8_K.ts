// q8_K: the activation format llama.cpp's CPU matmul uses for k-quant weights (q4_K, q6_K).
// Blocks of 256 values stored as an f32 scale d, 256 int8 quants and 16 int16 sums of 16
// consecutive quants (bsums, which let a dot product apply per-sub-block minimums cheaply).
// Block layout (292 bytes): d f32 | qs int8[256] | bsums int16[16]. Never stored in model files.

import { f32, nearestInt } from './rounding.js';

/** Values per k-quant super-block (QK_K). */
export const QK_K = 256;
/** Bytes per q8_K block. */
export const Q8_K_BLOCK_BYTES = 292;
/** Byte offset of qs inside a q8_K block. */
export const Q8_K_QS = 4;
/** Byte offset of bsums inside a q8_K block. */
export const Q8_K_BSUMS = 260;

/** quantize_row_q8_K_ref: scale -127 / (value of largest magnitude), nearest even, clamp to 127. */
export function quantizeRowQ8_K(src: Float32Array, out: Uint8Array): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const qs = new Int8Array(out.buffer, out.byteOffset, out.byteLength);
  for (let block = 0; block * QK_K < src.length; block++) {
    const x = block * QK_K;
    const o = block * Q8_K_BLOCK_BYTES;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK_K; j++) {
      if (Math.abs(src[x + j]) > amax) {
        amax = Math.abs(src[x + j]);
        max = src[x + j];
      }
    }
    if (!amax) {
      out.fill(0, o, o + Q8_K_BLOCK_BYTES);
      continue;
    }
    const iscale = f32(-127 / max);
    for (let j = 0; j < QK_K; j++) qs[o + Q8_K_QS + j] = Math.min(127, nearestInt(f32(iscale * src[x + j])));
    for (let j = 0; j < QK_K / 16; j++) {
      let sum = 0;
      for (let i = 0; i < 16; i++) sum += qs[o + Q8_K_QS + 16 * j + i];
      view.setInt16(o + Q8_K_BSUMS + 2 * j, sum, true);
    }
    view.setFloat32(o, f32(1 / iscale), true);
  }
}

/** dequantize_row_q8_K: value = d * q. */
export function dequantizeRowQ8_K(src: Uint8Array, out: Float32Array): void {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const qs = new Int8Array(src.buffer, src.byteOffset, src.byteLength);
  for (let block = 0; block * QK_K < out.length; block++) {
    const o = block * Q8_K_BLOCK_BYTES;
    const d = view.getFloat32(o, true);
    for (let j = 0; j < QK_K; j++) out[block * QK_K + j] = d * qs[o + Q8_K_QS + j];
  }
}
