// Activation formats for the dot products, as llama.cpp's CPU matmul prepares them (vec_dot_type):
// q8_0 for q8_0/q4_0 weights, q8_K for q4_K/q6_K (both stored widened, activationFormats.ts),
// values rounded to f16 or bf16 for f16/bf16 weights. Each call converts one row of n floats.

import { f16ToF32, f32ToBf16, f32ToF16, bf16ToF32 } from './half';
import { Q8_0W_BYTES, Q8_KW_BYTES, Q8_KW_SUMS } from './activationFormats';

/** Nearest integer, ties to even (x86 _mm256_round_ps / ggml nearest_int). */
// @ts-ignore: decorator
@inline function nearestInt(x: f32): i32 {
  return <i32>nearest<f32>(x);
}

/** q8_0 (wide): blocks of 32, d = amax / 127 rounded to f16, quants round(x * 127 / amax). */
export function quantizeQ8_0(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n / 32; b++) {
    const x = src + (<usize>b << 7);
    const y = dst + <usize>b * Q8_0W_BYTES;
    let amax = f32x4.splat(0);
    for (let i = 0; i < 8; i++) amax = f32x4.max(amax, f32x4.abs(v128.load(x + (<usize>i << 4))));
    const m = Mathf.max(Mathf.max(f32x4.extract_lane(amax, 0), f32x4.extract_lane(amax, 1)), Mathf.max(f32x4.extract_lane(amax, 2), f32x4.extract_lane(amax, 3)));
    const d: f32 = m / 127;
    const id: f32 = m != 0 ? 127 / m : 0; // as ggml's x86 path (not 1 / d)
    store<f32>(y, f16ToF32(f32ToF16(d)));
    const scale = f32x4.splat(id);
    for (let i = 0; i < 8; i += 2) {
      const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x + (<usize>i << 4)), scale)));
      const c = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x + (<usize>(i + 1) << 4)), scale)));
      v128.store(y + 4 + (<usize>i << 3), i16x8.narrow_i32x4_s(a, c));
    }
  }
}

/** q8_K (wide): blocks of 256, d = -max / 127 by the signed max (ggml quantize_row_q8_K_ref). */
export function quantizeQ8_K(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n / 256; b++) {
    const x = src + (<usize>b << 10);
    const y = dst + <usize>b * Q8_KW_BYTES;
    let max: f32 = 0;
    let amax: f32 = 0;
    for (let j = 0; j < 256; j++) {
      const v = load<f32>(x + (<usize>j << 2));
      const a = Mathf.abs(v);
      if (a > amax) { amax = a; max = v; }
    }
    if (amax == 0) {
      memory.fill(y, 0, Q8_KW_BYTES);
      continue;
    }
    const iscale: f32 = -127 / max;
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
