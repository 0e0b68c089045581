// q4_K: super-blocks of 256 weights in 8 sub-blocks of 32. Each sub-block j has a 6-bit scale
// sc[j] and a 6-bit min m[j]; weight = d * sc[j] * q - dmin * m[j], with q a 4-bit quant.
// Block layout (144 bytes): d f16 | dmin f16 | scales u8[12] (the 8 scales and 8 mins packed as
// 6 bits each, see scaleAndMin) | qs u8[128] (each 64 weights take 32 bytes: the first 32 weights
// in the low nibbles, the next 32 in the high nibbles). Dot products pair it with q8_K.

import { readF16, writeF16 } from './halfFloat.js';
import { QK_K, Q8_K_BLOCK_BYTES, Q8_K_BSUMS, Q8_K_QS } from './q8_K.js';
import { clampInt, f32, nearestInt } from './rounding.js';

/** Bytes per q4_K block. */
export const Q4_K_BLOCK_BYTES = 144;
const SCALES = 4;
const QS = 16;

/**
 * Unpacks the 6-bit scale and min of sub-block j (0..7) from the 12 scale bytes at `offset`
 * (ggml's get_scale_min_k4): sub-blocks 0-3 keep theirs in the low 6 bits of bytes j and j + 4;
 * sub-blocks 4-7 keep their low 4 bits in byte j + 4 and their top 2 bits in the spare top bits of
 * bytes j - 4 (scale) and j (min). Returns scale | (min << 8).
 */
export function scaleAndMin(bytes: Uint8Array, offset: number, j: number): number {
  const q = (i: number) => bytes[offset + i];
  if (j < 4) return (q(j) & 63) | ((q(j + 4) & 63) << 8);
  const scale = (q(j + 4) & 0xf) | ((q(j - 4) >>> 6) << 4);
  const min = (q(j + 4) >>> 4) | ((q(j) >>> 6) << 4);
  return scale | (min << 8);
}

/** Packs 8 six-bit scales and mins into 12 bytes at `offset` (inverse of scaleAndMin). */
function packScalesAndMins(scales: Uint8Array, mins: Uint8Array, out: Uint8Array, offset: number): void {
  for (let j = 0; j < 4; j++) {
    out[offset + j] = scales[j] | ((scales[j + 4] >>> 4) << 6);
    out[offset + j + 4] = mins[j] | ((mins[j + 4] >>> 4) << 6);
    out[offset + j + 8] = (scales[j + 4] & 0xf) | ((mins[j + 4] & 0xf) << 4);
  }
}

// Scratch for the quantizer (one super-block at a time).
const levels = new Uint8Array(QK_K);
const levelsTried = new Uint8Array(32);
const weights = new Float32Array(32);
const subScales = new Float32Array(8);
const subMins = new Float32Array(8);
const packedScales = new Uint8Array(8);
const packedMins = new Uint8Array(8);

/** The search quantize_row_q4_K_ref asks of make_qkx2_quants: 32 values, levels 0..15, 21 steps. */
const SEARCH = { n: 32, nmax: 15, rmin: -1, rdelta: f32(0.1), nstep: 20 } as const;

/**
 * ggml's make_qkx2_quants for the SEARCH.n values at x[o..]: finds scale and min (x ~ scale * l -
 * min, l in 0..nmax) minimising the weighted squared error, trying nstep + 1 candidate scales
 * around nmax / (max - min) and refitting scale and min by least squares for each. Writes the
 * levels to levels[lo..], the min (as a positive amount to subtract) to subMins[j]; returns the scale.
 */
function makeQkx2Quants(x: Float32Array, o: number, lo: number, j: number): number {
  const { n, nmax, rmin, rdelta, nstep } = SEARCH;
  let min = x[o];
  let max = x[o];
  let sumW = weights[0];
  let sumX = f32(sumW * x[o]);
  for (let i = 1; i < n; i++) {
    if (x[o + i] < min) min = x[o + i];
    if (x[o + i] > max) max = x[o + i];
    sumW = f32(sumW + weights[i]);
    sumX = f32(sumX + f32(weights[i] * x[o + i]));
  }
  if (min > 0) min = 0;
  if (max === min) {
    levels.fill(0, lo, lo + n);
    subMins[j] = -min;
    return 0;
  }
  let iscale = f32(nmax / f32(max - min));
  let scale = f32(1 / iscale);
  let bestError = 0;
  for (let i = 0; i < n; i++) {
    const l = clampInt(nearestInt(f32(iscale * f32(x[o + i] - min))), 0, nmax);
    levels[lo + i] = l;
    const diff = f32(f32(f32(scale * l) + min) - x[o + i]);
    bestError = f32(bestError + f32(weights[i] * f32(diff * diff)));
  }
  for (let step = 0; step <= nstep; step++) {
    // min moves when a candidate wins, and later candidates start from it (as in ggml).
    iscale = f32(f32(f32(rmin + f32(rdelta * step)) + nmax) / f32(max - min));
    let sumL = 0;
    let sumL2 = 0;
    let sumXL = 0;
    for (let i = 0; i < n; i++) {
      const l = clampInt(nearestInt(f32(iscale * f32(x[o + i] - min))), 0, nmax);
      levelsTried[i] = l;
      const wl = f32(weights[i] * l);
      sumL = f32(sumL + wl);
      sumL2 = f32(sumL2 + f32(wl * l));
      sumXL = f32(sumXL + f32(wl * x[o + i]));
    }
    const det = f32(f32(sumW * sumL2) - f32(sumL * sumL));
    if (!(det > 0)) continue;
    let thisScale = f32(f32(f32(sumW * sumXL) - f32(sumX * sumL)) / det);
    let thisMin = f32(f32(f32(sumL2 * sumX) - f32(sumL * sumXL)) / det);
    if (thisMin > 0) {
      thisMin = 0;
      thisScale = f32(sumXL / sumL2);
    }
    let error = 0;
    for (let i = 0; i < n; i++) {
      const diff = f32(f32(f32(thisScale * levelsTried[i]) + thisMin) - x[o + i]);
      error = f32(error + f32(weights[i] * f32(diff * diff)));
    }
    if (error < bestError) {
      levels.set(levelsTried.subarray(0, n), lo);
      bestError = error;
      scale = thisScale;
      min = thisMin;
    }
  }
  subMins[j] = -min;
  return scale;
}

/** quantize_row_q4_K_ref: make_qkx2_quants per sub-block, then 6-bit scales and mins. */
export function quantizeRowQ4_K(src: Float32Array, out: Uint8Array): void {
  for (let block = 0; block * QK_K < src.length; block++) {
    const x = block * QK_K;
    const o = block * Q4_K_BLOCK_BYTES;
    let maxScale = 0;
    let maxMin = 0;
    for (let j = 0; j < 8; j++) {
      const s = x + 32 * j;
      let sumX2 = 0;
      for (let l = 0; l < 32; l++) sumX2 = f32(sumX2 + f32(src[s + l] * src[s + l]));
      const average = f32(Math.sqrt(f32(sumX2 / 32)));
      for (let l = 0; l < 32; l++) weights[l] = f32(average + Math.abs(src[s + l]));
      subScales[j] = makeQkx2Quants(src, s, 32 * j, j);
      if (subScales[j] > maxScale) maxScale = subScales[j];
      if (subMins[j] > maxMin) maxMin = subMins[j];
    }
    const inverseScale = maxScale > 0 ? f32(63 / maxScale) : 0;
    const inverseMin = maxMin > 0 ? f32(63 / maxMin) : 0;
    for (let j = 0; j < 8; j++) {
      // ggml stores nearest_int into a uint8_t before clamping, hence the & 0xff.
      packedScales[j] = Math.min(63, nearestInt(f32(inverseScale * subScales[j])) & 0xff);
      packedMins[j] = Math.min(63, nearestInt(f32(inverseMin * subMins[j])) & 0xff);
    }
    packScalesAndMins(packedScales, packedMins, out, o + SCALES);
    const d = writeF16(out, o, f32(maxScale / 63));
    const dmin = writeF16(out, o + 2, f32(maxMin / 63));
    for (let j = 0; j < 8; j++) {
      const sm = scaleAndMin(out, o + SCALES, j);
      const subScale = f32(d * (sm & 0xff));
      if (!subScale) continue;
      const subMin = f32(dmin * (sm >>> 8));
      for (let i = 0; i < 32; i++) {
        levels[32 * j + i] = clampInt(nearestInt(f32(f32(src[x + 32 * j + i] + subMin) / subScale)), 0, 15);
      }
    }
    for (let chunk = 0; chunk < 4; chunk++) {
      for (let l = 0; l < 32; l++) out[o + QS + 32 * chunk + l] = levels[64 * chunk + l] | (levels[64 * chunk + 32 + l] << 4);
    }
  }
}

/** The 4-bit quant of weight e (0..255) of the q4_K block at `o`. */
function quantQ4_K(bytes: Uint8Array, o: number, e: number): number {
  const byte = bytes[o + QS + 32 * (e >>> 6) + (e & 31)];
  return (e & 32) === 0 ? byte & 0xf : byte >>> 4;
}

/** dequantize_row_q4_K: weight = d * sc[j] * q - dmin * m[j]. */
export function dequantizeRowQ4_K(src: Uint8Array, out: Float32Array): void {
  for (let block = 0; block * QK_K < out.length; block++) {
    const o = block * Q4_K_BLOCK_BYTES;
    const d = readF16(src, o);
    const dmin = readF16(src, o + 2);
    for (let j = 0; j < 8; j++) {
      const sm = scaleAndMin(src, o + SCALES, j);
      const subScale = f32(d * (sm & 0xff));
      const subMin = f32(dmin * (sm >>> 8));
      for (let i = 0; i < 32; i++) {
        const e = 32 * j + i;
        out[block * QK_K + e] = f32(subScale * quantQ4_K(src, o, e)) - subMin;
      }
    }
  }
}

/**
 * q4_K weights x q8_K activations, per block: d_w * d_x * sum_j sc[j] * (q4 . q8 over sub-block j)
 * - dmin_w * d_x * sum_j m[j] * (bsums of sub-block j); the mins use the activation's bsums as
 * ggml does. Block scale products in f32, the sum over blocks in f64.
 */
export function vecDotQ4_K(weights: Uint8Array, activation: Uint8Array, n: number): number {
  const view = new DataView(activation.buffer, activation.byteOffset, activation.byteLength);
  const aq = new Int8Array(activation.buffer, activation.byteOffset, activation.byteLength);
  let sum = 0;
  for (let block = 0; block * QK_K < n; block++) {
    const w = block * Q4_K_BLOCK_BYTES;
    const a = block * Q8_K_BLOCK_BYTES;
    let sumScaled = 0;
    let sumMins = 0;
    for (let j = 0; j < 8; j++) {
      const sm = scaleAndMin(weights, w + SCALES, j);
      let sumi = 0;
      for (let i = 0; i < 32; i++) sumi += quantQ4_K(weights, w, 32 * j + i) * aq[a + Q8_K_QS + 32 * j + i];
      sumScaled += (sm & 0xff) * sumi;
      const bsums = view.getInt16(a + Q8_K_BSUMS + 4 * j, true) + view.getInt16(a + Q8_K_BSUMS + 4 * j + 2, true);
      sumMins += (sm >>> 8) * bsums;
    }
    const dx = view.getFloat32(a, true);
    sum += f32(f32(readF16(weights, w) * dx) * sumScaled) - f32(f32(readF16(weights, w + 2) * dx) * sumMins);
  }
  return sum;
}
