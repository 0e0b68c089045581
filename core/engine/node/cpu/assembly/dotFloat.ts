// Dot products of f32, f16 and bf16 weight rows with f32 activation rows. For f16/bf16 weights
// the activations were already rounded to that precision (quantize.ts), as ggml's vec_dot_type.
// Lengths need not be multiples of anything: a scalar tail handles the rest.

import { f16ToF32, f16x4ToF32x4, bf16ToF32 } from './half';
import { hsum } from './lanes';

export function dotF32(w: usize, x: usize, n: i32): f32 {
  let a0 = f32x4.splat(0), a1 = a0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(w + o), v128.load(x + o)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(w + o, 16), v128.load(x + o, 16)));
  }
  let sum = hsum(f32x4.add(a0, a1));
  for (; i < n; i++) sum += load<f32>(w + (<usize>i << 2)) * load<f32>(x + (<usize>i << 2));
  return sum;
}

export function dotF16(w: usize, x: usize, n: i32): f32 {
  let a0 = f32x4.splat(0), a1 = a0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const h = v128.load(w + (<usize>i << 1));
    const o = <usize>i << 2;
    a0 = f32x4.add(a0, f32x4.mul(f16x4ToF32x4(i32x4.extend_low_i16x8_u(h)), v128.load(x + o)));
    a1 = f32x4.add(a1, f32x4.mul(f16x4ToF32x4(i32x4.extend_high_i16x8_u(h)), v128.load(x + o, 16)));
  }
  let sum = hsum(f32x4.add(a0, a1));
  for (; i < n; i++) sum += f16ToF32(load<u16>(w + (<usize>i << 1))) * load<f32>(x + (<usize>i << 2));
  return sum;
}

export function dotBF16(w: usize, x: usize, n: i32): f32 {
  let a0 = f32x4.splat(0), a1 = a0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const h = v128.load(w + (<usize>i << 1));
    const o = <usize>i << 2;
    a0 = f32x4.add(a0, f32x4.mul(i32x4.shl(i32x4.extend_low_i16x8_u(h), 16), v128.load(x + o)));
    a1 = f32x4.add(a1, f32x4.mul(i32x4.shl(i32x4.extend_high_i16x8_u(h), 16), v128.load(x + o, 16)));
  }
  let sum = hsum(f32x4.add(a0, a1));
  for (; i < n; i++) sum += bf16ToF32(load<u16>(w + (<usize>i << 1))) * load<f32>(x + (<usize>i << 2));
  return sum;
}

/** Weight element kinds of the four-token kernel. */
const F32: i32 = 0, F16: i32 = 1, BF16: i32 = 2;

/** Four weights from element i of a row of `kind`, as f32x4. */
// @ts-ignore: decorator
@inline function loadWeights4(kind: i32, w: usize, i: i32): v128 {
  if (kind == F32) return v128.load(w + (<usize>i << 2));
  const wide = i32x4.extend_low_i16x8_u(v128.load64_zero(w + (<usize>i << 1)));
  return kind == BF16 ? i32x4.shl(wide, 16) : f16x4ToF32x4(wide);
}

// @ts-ignore: decorator
@inline function loadWeight1(kind: i32, w: usize, i: i32): f32 {
  if (kind == F32) return load<f32>(w + (<usize>i << 2));
  const h = <u32>load<u16>(w + (<usize>i << 1));
  return kind == BF16 ? bf16ToF32(h) : f16ToF32(h);
}

/** One weight row against four tokens of activations (prefill): each weight is loaded once for the four. */
// @ts-ignore: decorator
@inline function dotFloatX4(kind: i32, w: usize, x: usize, xStride: usize, n: i32, out: usize, outStride: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const wv = loadWeights4(kind, w, i);
    const o = <usize>i << 2;
    a0 = f32x4.add(a0, f32x4.mul(wv, v128.load(x + o)));
    a1 = f32x4.add(a1, f32x4.mul(wv, v128.load(x + xStride + o)));
    a2 = f32x4.add(a2, f32x4.mul(wv, v128.load(x + 2 * xStride + o)));
    a3 = f32x4.add(a3, f32x4.mul(wv, v128.load(x + 3 * xStride + o)));
  }
  let s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
  for (; i < n; i++) {
    const wv = loadWeight1(kind, w, i);
    const o = <usize>i << 2;
    s0 += wv * load<f32>(x + o);
    s1 += wv * load<f32>(x + xStride + o);
    s2 += wv * load<f32>(x + 2 * xStride + o);
    s3 += wv * load<f32>(x + 3 * xStride + o);
  }
  store<f32>(out, s0);
  store<f32>(out + outStride, s1);
  store<f32>(out + 2 * outStride, s2);
  store<f32>(out + 3 * outStride, s3);
}

export function dotF32x4(w: usize, x: usize, xStride: usize, n: i32, out: usize, outStride: usize): void {
  dotFloatX4(F32, w, x, xStride, n, out, outStride);
}

export function dotF16x4(w: usize, x: usize, xStride: usize, n: i32, out: usize, outStride: usize): void {
  dotFloatX4(F16, w, x, xStride, n, out, outStride);
}

export function dotBF16x4(w: usize, x: usize, xStride: usize, n: i32, out: usize, outStride: usize): void {
  dotFloatX4(BF16, w, x, xStride, n, out, outStride);
}
