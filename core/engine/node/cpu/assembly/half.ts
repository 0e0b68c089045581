// Half-precision helpers for the CPU kernels: f16 and bf16 <-> f32, scalar and 4 lanes at a time.
// f16 -> f32 uses the exponent-rebias trick (bits << 13, times 2^112), exact for normals and
// subnormals; infinities and NaNs get their exponent forced to all ones.

// @ts-ignore: decorator
@inline export function f16ToF32(h: u32): f32 {
  const magnitude = reinterpret<f32>((h & 0x7fff) << 13) * reinterpret<f32>(0x77800000);
  let bits = reinterpret<u32>(magnitude) | ((h & 0x8000) << 16);
  if ((h & 0x7c00) == 0x7c00) bits |= 0x7f800000;
  return reinterpret<f32>(bits);
}

/** f32 -> f16 bits, round to nearest even (as ggml's FP32_TO_FP16 with F16C). */
export function f32ToF16(value: f32): u32 {
  const x = reinterpret<u32>(value);
  const sign = (x >> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  if (abs >= 0x7f800000) return sign | (abs > 0x7f800000 ? 0x7e00 : 0x7c00);
  if (abs >= 0x477ff000) return sign | 0x7c00; // rounds to >= 65520: infinity
  if (abs < 0x38800000) {
    // subnormal or zero: let the FPU round (adding 0.5 moves the mantissa bits into place)
    const f = reinterpret<f32>(abs) + reinterpret<f32>(0x3f000000);
    return sign | (reinterpret<u32>(f) - 0x3f000000);
  }
  const mantissaOdd = (abs >> 13) & 1;
  const rounded = abs + 0xc8000fff + mantissaOdd; // rebias exponent (-112 << 23) and round
  return sign | (rounded >> 13);
}

/** f32 -> bf16 bits, round to nearest even; NaN stays a quiet NaN (as ggml). */
// @ts-ignore: decorator
@inline export function f32ToBf16(value: f32): u32 {
  const x = reinterpret<u32>(value);
  if ((x & 0x7fffffff) > 0x7f800000) return (x >> 16) | 64;
  return (x + (0x7fff + ((x >> 16) & 1))) >> 16;
}

// @ts-ignore: decorator
@inline export function bf16ToF32(h: u32): f32 {
  return reinterpret<f32>(h << 16);
}

/** Four f16 (the u16 lanes 0..3 of `h` widened to u32x4) as f32x4. */
// @ts-ignore: decorator
@inline export function f16x4ToF32x4(wide: v128): v128 {
  const magnitude = f32x4.mul(v128.shl<i32>(v128.and(wide, i32x4.splat(0x7fff)), 13), f32x4.splat(reinterpret<f32>(0x77800000)));
  const sign = v128.shl<i32>(v128.and(wide, i32x4.splat(0x8000)), 16);
  const special = v128.and(i32x4.eq(v128.and(wide, i32x4.splat(0x7c00)), i32x4.splat(0x7c00)), i32x4.splat(0x7f800000));
  return v128.or(v128.or(magnitude, sign), special);
}

/**
 * Four f16 at wp + i * stride (i = 0..3, e.g. the scales of four consecutive blocks) as f32x4:
 * lane i equals f16ToF32 of the i-th, with one vector conversion instead of four scalar ones.
 */
// @ts-ignore: decorator
@inline export function f16x4Load(wp: usize, stride: usize): v128 {
  let h = i32x4.splat(0);
  h = v128.load16_lane(wp, h, 0);
  h = v128.load16_lane(wp + stride, h, 2);
  h = v128.load16_lane(wp + 2 * stride, h, 4);
  h = v128.load16_lane(wp + 3 * stride, h, 6);
  return f16x4ToF32x4(h);
}
