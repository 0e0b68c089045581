// common.wgsl: helpers shared by every kernel (included with `#include "common.wgsl"`, never
// compiled alone): half-precision bits <-> f32 rounded exactly as the CPU reference rounds
// (core/engine/node/cpu/assembly/half.ts: round to nearest even, no flush of subnormals), signed
// bytes, and the workgroup id of a 2D dispatch that is larger than 65535 in x.
//
// Why not WGSL's own conversions: pack2x16float may round either way and `f16` needs the
// shader-f16 feature, which SwiftShader and many adapters lack; these work on every adapter.

/** f16 bits (low 16 bits of `h`) -> f32, exact for subnormals too (never an f32 subnormal on the way). */
fn f16_to_f32(h: u32) -> f32 {
  let sign = (h & 0x8000u) << 16u;
  let e = (h >> 10u) & 0x1fu;
  let m = h & 0x3ffu;
  if (e == 0u) { return bitcast<f32>(sign | bitcast<u32>(f32(m) * 5.9604644775390625e-8)); }
  if (e == 31u) { return bitcast<f32>(sign | 0x7f800000u | (m << 13u)); }
  return bitcast<f32>(sign | ((e + 112u) << 23u) | (m << 13u));
}

/** The two f16 of a word: (low, high). */
fn f16x2_to_f32(w: u32) -> vec2<f32> {
  return vec2<f32>(f16_to_f32(w), f16_to_f32(w >> 16u));
}

/** bf16 bits (low 16 bits of `h`) -> f32 (exact: bf16 is the top half of an f32). */
fn bf16_to_f32(h: u32) -> f32 {
  return bitcast<f32>(h << 16u);
}

/** f32 -> f16 bits, round to nearest even; overflow to infinity, NaN stays NaN (ggml FP32_TO_FP16). */
fn f32_to_f16(value: f32) -> u32 {
  let x = bitcast<u32>(value);
  let sign = (x >> 16u) & 0x8000u;
  let a = x & 0x7fffffffu;
  if (a >= 0x7f800000u) { return sign | select(0x7c00u, 0x7e00u, a > 0x7f800000u); }
  if (a >= 0x477ff000u) { return sign | 0x7c00u; }
  if (a < 0x38800000u) {
    // f16 subnormal or zero: the mantissa is |x| * 2^24 rounded to an integer (ties to even)
    return sign | u32(round(bitcast<f32>(a) * 16777216.0));
  }
  let odd = (a >> 13u) & 1u;
  return sign | ((a + 0xc8000fffu + odd) >> 13u); // rebias the exponent by -112 and round
}

/** f32 -> bf16 bits, round to nearest even; NaN stays a quiet NaN. */
fn f32_to_bf16(value: f32) -> u32 {
  let x = bitcast<u32>(value);
  if ((x & 0x7fffffffu) > 0x7f800000u) { return (x >> 16u) | 64u; }
  return (x + 0x7fffu + ((x >> 16u) & 1u)) >> 16u;
}

fn round_f16(x: f32) -> f32 { return f16_to_f32(f32_to_f16(x)); }
fn round_bf16(x: f32) -> f32 { return bf16_to_f32(f32_to_bf16(x)); }

/** The four bytes of `w` as signed integers, in f32. */
fn i8x4(w: u32) -> vec4<f32> {
  let s = bitcast<vec4<i32>>(vec4<u32>(w << 24u, w << 16u, w << 8u, w)) >> vec4<u32>(24u);
  return vec4<f32>(s);
}

/** The four bytes of `w` as unsigned integers, in f32. */
fn u8x4(w: u32) -> vec4<f32> {
  return vec4<f32>((vec4<u32>(w) >> vec4<u32>(0u, 8u, 16u, 24u)) & vec4<u32>(0xffu));
}

/** Linear workgroup index of a dispatch split as (x, y) because x is capped at 65535. */
fn linear_group(wid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return wid.x + wid.y * groups.x;
}
