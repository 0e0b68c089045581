// Activation formats for the dot products, as llama.cpp's CPU matmul prepares them (vec_dot_type):
// q8_0 for q8_0/q4_0 weights, q8_K for q4_K/q6_K (both stored widened, activationFormats.ts),
// values rounded to f16 or bf16 for f16/bf16 weights. Each call converts one row of n floats.

import { f16ToF32, f32ToBf16, f32ToF16, bf16ToF32 } from './half';
import { q8_0WQuants, q8_0ROffsets, q8_0RQuants, Q8_KW_BYTES, Q8_KW_SUMS, Q8_KR_BYTES, Q8_KR_QUANTS, Q8_KR_SUMS, q8_KROrder } from './activationFormats';

/** Nearest integer, ties to even (x86 _mm256_round_ps / ggml nearest_int). */
// @ts-ignore: decorator
@inline function nearestInt(x: f32): i32 {
  return <i32>nearest<f32>(x);
}

/** q8_0 (wide row, activationFormats.ts): blocks of 32, d = amax / 127 rounded to f16, quants round(x * 127 / amax). */
export function quantizeQ8_0(src: usize, dst: usize, n: i32): void {
  const nb = n >> 5, quants = dst + q8_0WQuants(nb);
  for (let b = 0; b < nb; b++) {
    const x = src + (<usize>b << 7);
    const y = quants + (<usize>b << 6);
    const scale = storeQ8_0Scale(x, dst + (<usize>b << 2));
    for (let i = 0; i < 8; i += 2) v128.store(y + (<usize>i << 3), quantize8(x + (<usize>i << 4), scale));
  }
}

/** q8_0 (relaxed row, activationFormats.ts): the same quants as quantizeQ8_0, as bytes, with offsets. */
export function quantizeQ8_0R(src: usize, dst: usize, n: i32): void {
  const nb = n >> 5;
  for (let b = 0; b < nb; b++) {
    const x = src + (<usize>b << 7);
    const scale = storeQ8_0Scale(x, dst + (<usize>b << 2));
    storeRelaxedQuants(x, dst + q8_0RQuants(nb) + (<usize>b << 5), dst + q8_0ROffsets(nb) + (<usize>b << 2), scale);
  }
}

/** Stores d = f16(amax / 127) of the 32 floats at `x` at `y`; returns 127 / amax (0 for zeros) splatted. */
// @ts-ignore: decorator
@inline function storeQ8_0Scale(x: usize, y: usize): v128 {
  let amax = f32x4.splat(0);
  for (let i = 0; i < 8; i++) amax = f32x4.max(amax, f32x4.abs(v128.load(x + (<usize>i << 4))));
  const m = Mathf.max(Mathf.max(f32x4.extract_lane(amax, 0), f32x4.extract_lane(amax, 1)), Mathf.max(f32x4.extract_lane(amax, 2), f32x4.extract_lane(amax, 3)));
  const d: f32 = m / 127;
  const id: f32 = m != 0 ? 127 / m : 0; // as ggml's x86 path (not 1 / d)
  store<f32>(y, f16ToF32(f32ToF16(d)));
  return f32x4.splat(id);
}

/** The 8 quants round(x * scale) of the 8 floats at `x`, as i16x8. */
// @ts-ignore: decorator
@inline function quantize8(x: usize, scale: v128): v128 {
  const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x), scale)));
  const c = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x, 16), scale)));
  return i16x8.narrow_i32x4_s(a, c);
}

/** The 32 quants of the floats at `x` as bytes at `y`, and 8 x their sum (i32) at `offset`. */
// @ts-ignore: decorator
@inline function storeRelaxedQuants(x: usize, y: usize, offset: usize, scale: v128): void {
  const h0 = quantize8(x, scale), h1 = quantize8(x + 32, scale), h2 = quantize8(x + 64, scale), h3 = quantize8(x + 96, scale);
  v128.store(y, i8x16.narrow_i16x8_s(h0, h1));
  v128.store(y, i8x16.narrow_i16x8_s(h2, h3), 16);
  const sums = i32x4.extadd_pairwise_i16x8_s(i16x8.add(i16x8.add(h0, h1), i16x8.add(h2, h3)));
  store<i32>(offset, (i32x4.extract_lane(sums, 0) + i32x4.extract_lane(sums, 1) + i32x4.extract_lane(sums, 2) + i32x4.extract_lane(sums, 3)) << 3);
}

/**
 * iscale = -127 / max of the 256 floats at `x`, max being the signed value of largest magnitude
 * (the first, on ties); NaN when all are zero, and then the `bytes` of the block at `y` are zeroed.
 */
// @ts-ignore: decorator
@inline function q8KInverseScale(x: usize, y: usize, bytes: usize): f32 {
  let max: f32 = 0;
  let amax: f32 = 0;
  for (let j = 0; j < 256; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    const a = Mathf.abs(v);
    if (a > amax) { amax = a; max = v; }
  }
  if (amax == 0) memory.fill(y, 0, bytes);
  return amax == 0 ? NaN : -127 / max;
}

/** q8_K (wide): blocks of 256, d = -max / 127 by the signed max (ggml quantize_row_q8_K_ref). */
export function quantizeQ8_K(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n / 256; b++) {
    const x = src + (<usize>b << 10);
    const y = dst + <usize>b * Q8_KW_BYTES;
    const iscale = q8KInverseScale(x, y, Q8_KW_BYTES);
    if (isNaN(iscale)) continue;
    for (let j = 0; j < 256; j++) {
      const v = nearestInt(iscale * load<f32>(x + (<usize>j << 2)));
      store<i16>(y + 4 + (<usize>j << 1), <i16>min(127, v));
    }
    for (let g = 0; g < 16; g++) {
      let sum = 0;
      for (let j = 0; j < 16; j++) sum += <i32>load<i16>(y + 4 + (<usize>((g << 4) + j) << 1));
      store<i16>(y + Q8_KW_SUMS + (<usize>g << 1), <i16>sum);
    }
    store<f32>(y, 1 / iscale);
  }
}

/** min(127, round(x * scale)) of the 4 floats at `x` (quantizeQ8_K's rounding), as i32x4. */
// @ts-ignore: decorator
@inline function quantize4K(x: usize, scale: v128): v128 {
  return i32x4.min_s(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x), scale))), i32x4.splat(127));
}

/** q8_K (relaxed, activationFormats.ts): the same quants and sums as quantizeQ8_K, as bytes. */
export function quantizeQ8_KR(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n / 256; b++) {
    const x = src + (<usize>b << 10);
    const y = dst + <usize>b * Q8_KR_BYTES;
    const iscale = q8KInverseScale(x, y, Q8_KR_BYTES);
    if (isNaN(iscale)) continue;
    const scale = f32x4.splat(iscale);
    for (let g = 0; g < 16; g++) {
      const xg = x + (<usize>g << 6);
      const h0 = i16x8.narrow_i32x4_s(quantize4K(xg, scale), quantize4K(xg + 16, scale));
      const h1 = i16x8.narrow_i32x4_s(quantize4K(xg + 32, scale), quantize4K(xg + 48, scale));
      v128.store(y + Q8_KR_QUANTS + (<usize>g << 4), i8x16.swizzle(i8x16.narrow_i16x8_s(h0, h1), q8_KROrder()));
      const sum = i32x4.extadd_pairwise_i16x8_s(i16x8.add(h0, h1));
      store<i16>(y + Q8_KR_SUMS + (<usize>g << 1), <i16>(i32x4.extract_lane(sum, 0) + i32x4.extract_lane(sum, 1) + i32x4.extract_lane(sum, 2) + i32x4.extract_lane(sum, 3)));
    }
    store<f32>(y, 1 / iscale);
  }
}

/** Rounds each value to the nearest f16 (kept as f32) for dot products with f16 weights. */
export function roundToF16(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(dst + p, f16ToF32(f32ToF16(load<f32>(src + p))));
  }
}

/** Rounds each value to the nearest bf16 (kept as f32) for dot products with bf16 weights. */
export function roundToBf16(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(dst + p, bf16ToF32(f32ToBf16(load<f32>(src + p))));
  }
}
