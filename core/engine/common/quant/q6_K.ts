// q6_K: super-blocks of 256 weights in 16 sub-blocks of 16, each with an int8 scale sc[j];
// weight = d * sc[j] * (q - 32) with q a 6-bit quant split into 4 low bits (ql) and 2 high bits (qh).
// Block layout (210 bytes): ql u8[128] | qh u8[64] | scales int8[16] | d f16. Within each half of
// 128 weights, ql byte l holds weights l and l + 64 (low, high nibble) and ql byte l + 32 holds
// l + 32 and l + 96; qh byte l holds the top 2 bits of weights l, l + 32, l + 64, l + 96.
// Dot products pair it with q8_K activations.

import { readF16, writeF16 } from './halfFloat.js';
import { QK_K, Q8_K_BLOCK_BYTES, Q8_K_QS } from './q8_K.js';
import { clampInt, f32, nearestInt } from './rounding.js';

/** Bytes per q6_K block. */
export const Q6_K_BLOCK_BYTES = 210;
const QH = 128;
const SCALES = 192;
const D = 208;
const GROUP_MAX_EPS = f32(1e-15);

// Scratch for the quantizer (one super-block at a time): levels 0..63, i.e. q + 32.
const levels = new Uint8Array(QK_K);
const subScales = new Float32Array(16);

/** Level (-nmax..nmax-1) of x under `iscale`, as make_qx_quants clamps it. */
function level(iscale: number, x: number, nmax: number): number {
  return clampInt(nearestInt(f32(iscale * x)), -nmax, nmax - 1);
}

/**
 * ggml's make_qx_quants with rmse_type 1 (weights x^2) for n values at x[o..]: starts from
 * scale = max / -nmax (max = value of largest magnitude), refits the scale by weighted least
 * squares, and tries 18 nearby scales, keeping the best. Writes levels + nmax to levels[o..];
 * returns the scale.
 */
function makeQxQuants(n: number, nmax: number, x: Float32Array, o: number, lo: number): number {
  let max = 0;
  let amax = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(x[o + i]) > amax) {
      amax = Math.abs(x[o + i]);
      max = x[o + i];
    }
  }
  if (amax < GROUP_MAX_EPS) {
    levels.fill(0, lo, lo + n);
    return 0;
  }
  let iscale = f32(-nmax / max);
  let sumLX = 0;
  let sumL2 = 0;
  for (let i = 0; i < n; i++) {
    const l = level(iscale, x[o + i], nmax);
    levels[lo + i] = l + nmax;
    const w = f32(x[o + i] * x[o + i]);
    sumLX = f32(sumLX + f32(f32(w * x[o + i]) * l));
    sumL2 = f32(sumL2 + f32(f32(w * l) * l));
  }
  let scale = sumL2 ? f32(sumLX / sumL2) : 0;
  let best = f32(scale * sumLX);
  for (let step = -9; step <= 9; step++) {
    if (step === 0) continue;
    iscale = f32(-f32(nmax + f32(f32(0.1) * step)) / max);
    sumLX = 0;
    sumL2 = 0;
    for (let i = 0; i < n; i++) {
      const l = level(iscale, x[o + i], nmax);
      const w = f32(x[o + i] * x[o + i]);
      sumLX = f32(sumLX + f32(f32(w * x[o + i]) * l));
      sumL2 = f32(sumL2 + f32(f32(w * l) * l));
    }
    if (sumL2 > 0 && f32(sumLX * sumLX) > f32(best * sumL2)) {
      for (let i = 0; i < n; i++) levels[lo + i] = level(iscale, x[o + i], nmax) + nmax;
      scale = f32(sumLX / sumL2);
      best = f32(scale * sumLX);
    }
  }
  return scale;
}

/** quantize_row_q6_K_ref: make_qx_quants per sub-block, int8 sub-block scales, requantize. */
export function quantizeRowQ6_K(src: Float32Array, out: Uint8Array): void {
  const signed = new Int8Array(out.buffer, out.byteOffset, out.byteLength);
  for (let block = 0; block * QK_K < src.length; block++) {
    const x = block * QK_K;
    const o = block * Q6_K_BLOCK_BYTES;
    let maxScale = 0;
    let maxAbsScale = 0;
    for (let j = 0; j < 16; j++) {
      subScales[j] = makeQxQuants(16, 32, src, x + 16 * j, 16 * j);
      if (Math.abs(subScales[j]) > maxAbsScale) {
        maxAbsScale = Math.abs(subScales[j]);
        maxScale = subScales[j];
      }
    }
    if (maxAbsScale < GROUP_MAX_EPS) {
      out.fill(0, o, o + Q6_K_BLOCK_BYTES);
      continue;
    }
    const iscale = f32(-128 / maxScale);
    const d = writeF16(out, o + D, f32(1 / iscale));
    for (let j = 0; j < 16; j++) signed[o + SCALES + j] = Math.min(127, nearestInt(f32(iscale * subScales[j])));
    for (let j = 0; j < 16; j++) {
      const subScale = f32(d * signed[o + SCALES + j]);
      if (!subScale) continue;
      for (let i = 0; i < 16; i++) {
        levels[16 * j + i] = clampInt(nearestInt(f32(src[x + 16 * j + i] / subScale)), -32, 31) + 32;
      }
    }
    for (let half = 0; half < 2; half++) {
      const l0 = 128 * half;
      const ql = o + 64 * half;
      const qh = o + QH + 32 * half;
      for (let l = 0; l < 32; l++) {
        const q1 = levels[l0 + l];
        const q2 = levels[l0 + l + 32];
        const q3 = levels[l0 + l + 64];
        const q4 = levels[l0 + l + 96];
        out[ql + l] = (q1 & 0xf) | ((q3 & 0xf) << 4);
        out[ql + l + 32] = (q2 & 0xf) | ((q4 & 0xf) << 4);
        out[qh + l] = (q1 >>> 4) | ((q2 >>> 4) << 2) | ((q3 >>> 4) << 4) | ((q4 >>> 4) << 6);
      }
    }
  }
}

/** The signed quant q - 32 (-32..31) of weight e (0..255) of the q6_K block at `o`. */
function quantQ6_K(bytes: Uint8Array, o: number, e: number): number {
  const half = e >>> 7;
  const within = e & 127; // 0..127: quarter (within >> 5) and position l
  const l = within & 31;
  const quarter = within >>> 5;
  const low = bytes[o + 64 * half + l + (quarter & 1) * 32];
  const lowBits = quarter < 2 ? low & 0xf : low >>> 4;
  const highBits = (bytes[o + QH + 32 * half + l] >>> (2 * quarter)) & 3;
  return (lowBits | (highBits << 4)) - 32;
}

/** dequantize_row_q6_K: weight = d * sc[j] * (q - 32). */
export function dequantizeRowQ6_K(src: Uint8Array, out: Float32Array): void {
  const signed = new Int8Array(src.buffer, src.byteOffset, src.byteLength);
  for (let block = 0; block * QK_K < out.length; block++) {
    const o = block * Q6_K_BLOCK_BYTES;
    const d = readF16(src, o + D);
    for (let e = 0; e < QK_K; e++) {
      out[block * QK_K + e] = f32(d * signed[o + SCALES + (e >>> 4)]) * quantQ6_K(src, o, e);
    }
  }
}

/** q6_K weights x q8_K activations, per block: d_w * d_x * sum_j sc[j] * ((q - 32) . q8 over sub-block j). */
export function vecDotQ6_K(weights: Uint8Array, activation: Uint8Array, n: number): number {
  const signed = new Int8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  const view = new DataView(activation.buffer, activation.byteOffset, activation.byteLength);
  const aq = new Int8Array(activation.buffer, activation.byteOffset, activation.byteLength);
  let sum = 0;
  for (let block = 0; block * QK_K < n; block++) {
    const w = block * Q6_K_BLOCK_BYTES;
    const a = block * Q8_K_BLOCK_BYTES;
    let sumScaled = 0;
    for (let j = 0; j < 16; j++) {
      let sumi = 0;
      for (let i = 0; i < 16; i++) sumi += quantQ6_K(weights, w, 16 * j + i) * aq[a + Q8_K_QS + 16 * j + i];
      sumScaled += signed[w + SCALES + j] * sumi;
    }
    sum += f32(f32(readF16(weights, w + D) * view.getFloat32(a, true)) * sumScaled);
  }
  return sum;
}
