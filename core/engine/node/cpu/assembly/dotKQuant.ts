// Dot products of k-quant weight rows with q8_K activations (activationFormats.ts), as ggml's
// ggml_vec_dot_q4_K_q8_K and ggml_vec_dot_q6_K_q8_K: integer sums per sub-block (i32x4.dot_i16x8_s
// on widened quants), times the sub-block scales, then scaled in f32 per super-block of 256. The
// `...x4` variants take four activation rows (prefill). In the relaxed-SIMD build, q4_K's integer
// sums come from dotRelaxed.ts.

import { f16ToF32 } from './half';
import { q4KScaleMin } from './kquants';
import { Q8_KR_BYTES, Q8_KR_QUANTS, Q8_KR_SUMS, Q8_KW_BYTES, Q8_KW_SUMS } from './activationFormats';
import { dot16, dot32w, hsum, store4 } from './lanes';
import { q4KBlockSumR, q4KNibblesR, q4KStepR } from './dotRelaxed';

// ---- q4_K (super-blocks of 256: d, dmin f16, 12 bytes of 6-bit scales/mins, 128 bytes of nibbles)

/** sum over the 8 sub-blocks of min * (sum of their 32 activations), from the activation sums. */
// @ts-ignore: decorator
@inline function q4KMinSum(wp: usize, sums: usize): i32 {
  let sum = 0;
  for (let j = 0; j < 8; j++) {
    sum += q4KScaleMin(wp + 4, j, true) * (<i32>load<i16>(sums + (<usize>j << 2)) + <i32>load<i16>(sums + (<usize>j << 2) + 2));
  }
  return sum;
}

/** Integer part of one super-block: sum over sub-blocks of scale * sum(q * x). */
// @ts-ignore: decorator
@inline function q4KBlockSum(wp: usize, xq: usize): v128 {
  let isum = i32x4.splat(0);
  const mask = i8x16.splat(15);
  for (let j = 0; j < 4; j++) {
    const qa = v128.load(wp + 16 + (<usize>j << 5)), qb = v128.load(wp + 16 + (<usize>j << 5), 16);
    const xp = xq + (<usize>j << 7);
    const sLow = i32x4.add(dot16(v128.and(qa, mask), xp), dot16(v128.and(qb, mask), xp + 32));
    const sHigh = i32x4.add(dot16(i8x16.shr_u(qa, 4), xp + 64), dot16(i8x16.shr_u(qb, 4), xp + 96));
    isum = i32x4.add(isum, i32x4.mul(sLow, i32x4.splat(q4KScaleMin(wp + 4, 2 * j, false))));
    isum = i32x4.add(isum, i32x4.mul(sHigh, i32x4.splat(q4KScaleMin(wp + 4, 2 * j + 1, false))));
  }
  return isum;
}

// The q8_K activations q4_K reads: wide blocks, or relaxed ones in the relaxed build (dotRelaxed.ts).
const Q4K_X_BYTES: usize = ASC_FEATURE_RELAXED_SIMD ? Q8_KR_BYTES : Q8_KW_BYTES;
const Q4K_X_SUMS: usize = ASC_FEATURE_RELAXED_SIMD ? Q8_KR_SUMS : Q8_KW_SUMS;

export function dotQ4_K(w: usize, x: usize, nb: i32): f32 {
  let acc = f32x4.splat(0);
  let mins: f32 = 0;
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 144, xp = x + <usize>b * Q4K_X_BYTES;
    const dx = load<f32>(xp);
    const isum = ASC_FEATURE_RELAXED_SIMD ? q4KBlockSumR(wp, xp + Q8_KR_QUANTS) : q4KBlockSum(wp, xp + 4);
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(isum), f32x4.splat(f16ToF32(load<u16>(wp)) * dx)));
    mins += f16ToF32(load<u16>(wp, 2)) * dx * <f32>q4KMinSum(wp, xp + Q4K_X_SUMS);
  }
  return hsum(acc) - mins;
}

/** Four tokens of q4_K: each 32-weight sub-block is unpacked once for the four activation rows. */
export function dotQ4_Kx4(w: usize, x: usize, xStride: usize, nb: i32, out: usize, outStride: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let m0: f32 = 0, m1: f32 = 0, m2: f32 = 0, m3: f32 = 0;
  const mask = i8x16.splat(15);
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 144, xp = x + <usize>b * Q4K_X_BYTES;
    let i0 = i32x4.splat(0), i1 = i0, i2 = i0, i3 = i0;
    for (let j = 0; j < 8; j++) {
      const sc = i32x4.splat(q4KScaleMin(wp + 4, j, false));
      if (ASC_FEATURE_RELAXED_SIMD) {
        const qa = q4KNibblesR(wp, j, 0), qb = q4KNibblesR(wp, j, 16);
        const xj = xp + Q8_KR_QUANTS + (<usize>j << 5);
        i0 = q4KStepR(i0, qa, qb, xj, sc);
        i1 = q4KStepR(i1, qa, qb, xj + xStride, sc);
        i2 = q4KStepR(i2, qa, qb, xj + 2 * xStride, sc);
        i3 = q4KStepR(i3, qa, qb, xj + 3 * xStride, sc);
        continue;
      }
      // sub-block j: low nibbles of bytes 32(j/2)..+31 for even j, high nibbles for odd j
      const q = wp + 16 + (<usize>(j >> 1) << 5);
      const qa = (j & 1) == 0 ? v128.and(v128.load(q), mask) : i8x16.shr_u(v128.load(q), 4);
      const qb = (j & 1) == 0 ? v128.and(v128.load(q, 16), mask) : i8x16.shr_u(v128.load(q, 16), 4);
      const w0 = i16x8.extend_low_i8x16_u(qa), w1 = i16x8.extend_high_i8x16_u(qa);
      const w2 = i16x8.extend_low_i8x16_u(qb), w3 = i16x8.extend_high_i8x16_u(qb);
      const xj = xp + 4 + (<usize>j << 6);
      i0 = i32x4.add(i0, i32x4.mul(dot32w(w0, w1, w2, w3, xj), sc));
      i1 = i32x4.add(i1, i32x4.mul(dot32w(w0, w1, w2, w3, xj + xStride), sc));
      i2 = i32x4.add(i2, i32x4.mul(dot32w(w0, w1, w2, w3, xj + 2 * xStride), sc));
      i3 = i32x4.add(i3, i32x4.mul(dot32w(w0, w1, w2, w3, xj + 3 * xStride), sc));
    }
    const d = f16ToF32(load<u16>(wp)), dmin = f16ToF32(load<u16>(wp, 2));
    const x0 = load<f32>(xp), x1 = load<f32>(xp + xStride), x2 = load<f32>(xp + 2 * xStride), x3 = load<f32>(xp + 3 * xStride);
    a0 = f32x4.add(a0, f32x4.mul(f32x4.convert_i32x4_s(i0), f32x4.splat(d * x0)));
    a1 = f32x4.add(a1, f32x4.mul(f32x4.convert_i32x4_s(i1), f32x4.splat(d * x1)));
    a2 = f32x4.add(a2, f32x4.mul(f32x4.convert_i32x4_s(i2), f32x4.splat(d * x2)));
    a3 = f32x4.add(a3, f32x4.mul(f32x4.convert_i32x4_s(i3), f32x4.splat(d * x3)));
    m0 += dmin * x0 * <f32>q4KMinSum(wp, xp + Q4K_X_SUMS);
    m1 += dmin * x1 * <f32>q4KMinSum(wp, xp + xStride + Q4K_X_SUMS);
    m2 += dmin * x2 * <f32>q4KMinSum(wp, xp + 2 * xStride + Q4K_X_SUMS);
    m3 += dmin * x3 * <f32>q4KMinSum(wp, xp + 3 * xStride + Q4K_X_SUMS);
  }
  store<f32>(out, hsum(a0) - m0);
  store<f32>(out + outStride, hsum(a1) - m1);
  store<f32>(out + 2 * outStride, hsum(a2) - m2);
  store<f32>(out + 3 * outStride, hsum(a3) - m3);
}

// ---- q6_K (super-blocks of 256: ql 128 bytes low 4 bits, qh 64 bytes high 2 bits, 16 i8 scales, d f16)

/** The 16 weights (-32..31) of group g (0..15) of a q6_K block, as signed bytes. */
// @ts-ignore: decorator
@inline function q6KGroup(wp: usize, g: i32): v128 {
  // group g covers weights 16g..16g+15: half n = g >> 3, quarter k = (g >> 1) & 3, l0 = 16 (g & 1)
  const n = <usize>(g >> 3), k = (g >> 1) & 3, l0 = <usize>(g & 1) << 4;
  const ql = v128.load(wp + (n << 6) + ((<usize>k & 1) << 5) + l0);
  const qh = v128.load(wp + 128 + (n << 5) + l0);
  const low = k < 2 ? v128.and(ql, i8x16.splat(15)) : i8x16.shr_u(ql, 4);
  const high = v128.and(i8x16.shr_u(qh, <i32>(k << 1)), i8x16.splat(3));
  return i8x16.sub(v128.or(low, i8x16.shl(high, 4)), i8x16.splat(32));
}

export function dotQ6_K(w: usize, x: usize, nb: i32): f32 {
  let acc = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 210, xp = x + <usize>b * Q8_KW_BYTES;
    let isum = i32x4.splat(0);
    for (let g = 0; g < 16; g++) {
      isum = i32x4.add(isum, i32x4.mul(dot16(q6KGroup(wp, g), xp + 4 + (<usize>g << 5)), i32x4.splat(<i32>load<i8>(wp + 192 + g))));
    }
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(isum), f32x4.splat(f16ToF32(load<u16>(wp, 208)) * load<f32>(xp))));
  }
  return hsum(acc);
}

/** Four tokens of q6_K: each 16-weight group is unpacked once for the four activation rows. */
export function dotQ6_Kx4(w: usize, x: usize, xStride: usize, nb: i32, out: usize, outStride: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 210, xp = x + <usize>b * Q8_KW_BYTES;
    let i0 = i32x4.splat(0), i1 = i0, i2 = i0, i3 = i0;
    for (let g = 0; g < 16; g++) {
      const q = q6KGroup(wp, g);
      const lo = i16x8.extend_low_i8x16_s(q), hi = i16x8.extend_high_i8x16_s(q);
      const sc = i32x4.splat(<i32>load<i8>(wp + 192 + g));
      const xg = xp + 4 + (<usize>g << 5);
      i0 = i32x4.add(i0, i32x4.mul(i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(xg)), i32x4.dot_i16x8_s(hi, v128.load(xg, 16))), sc));
      i1 = i32x4.add(i1, i32x4.mul(i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(xg + xStride)), i32x4.dot_i16x8_s(hi, v128.load(xg + xStride, 16))), sc));
      i2 = i32x4.add(i2, i32x4.mul(i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(xg + 2 * xStride)), i32x4.dot_i16x8_s(hi, v128.load(xg + 2 * xStride, 16))), sc));
      i3 = i32x4.add(i3, i32x4.mul(i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(xg + 3 * xStride)), i32x4.dot_i16x8_s(hi, v128.load(xg + 3 * xStride, 16))), sc));
    }
    const d = f16ToF32(load<u16>(wp, 208));
    a0 = f32x4.add(a0, f32x4.mul(f32x4.convert_i32x4_s(i0), f32x4.splat(d * load<f32>(xp))));
    a1 = f32x4.add(a1, f32x4.mul(f32x4.convert_i32x4_s(i1), f32x4.splat(d * load<f32>(xp + xStride))));
    a2 = f32x4.add(a2, f32x4.mul(f32x4.convert_i32x4_s(i2), f32x4.splat(d * load<f32>(xp + 2 * xStride))));
    a3 = f32x4.add(a3, f32x4.mul(f32x4.convert_i32x4_s(i3), f32x4.splat(d * load<f32>(xp + 3 * xStride))));
  }
  store4(out, outStride, a0, a1, a2, a3);
}
