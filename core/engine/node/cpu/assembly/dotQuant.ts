// Dot products of quantized weight rows with quantized activation rows, as ggml's ggml_vec_dot_*:
// q8_0 x q8_0, q4_0 x q8_0, q4_K x q8_K, q6_K x q8_K. Integer sums per block in i32x4 lanes
// (i16x8 widening + i32x4.dot_i16x8_s), scaled in f32. `...x4` variants take four activation
// rows at once so that each weight block is unpacked once for four tokens (prefill).

import { f16ToF32 } from './half';
import { q4KScaleMin } from './kquants';

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Sum of products of 16 signed bytes, as four i32 lanes. */
// @ts-ignore: decorator
@inline function dot16(a: v128, b: v128): v128 {
  return i32x4.add(
    i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(a), i16x8.extend_low_i8x16_s(b)),
    i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(a), i16x8.extend_high_i8x16_s(b)),
  );
}

/** Same, with `a` already widened to two i16x8 halves. */
// @ts-ignore: decorator
@inline function dot16w(aLow: v128, aHigh: v128, b: v128): v128 {
  return i32x4.add(
    i32x4.dot_i16x8_s(aLow, i16x8.extend_low_i8x16_s(b)),
    i32x4.dot_i16x8_s(aHigh, i16x8.extend_high_i8x16_s(b)),
  );
}

// ---- q8_0 and q4_0 (blocks of 32; activations q8_0: {d f16, qs i8[32]}, 34 bytes)

/** Weights 0..15 and 16..31 of a q4_0 block as signed bytes (nibble - 8). */
// @ts-ignore: decorator
@inline function q4_0Low(q: v128): v128 { return i8x16.sub(v128.and(q, i8x16.splat(15)), i8x16.splat(8)); }
// @ts-ignore: decorator
@inline function q4_0High(q: v128): v128 { return i8x16.sub(i8x16.shr_u(q, 4), i8x16.splat(8)); }

export function dotQ8_0(w: usize, x: usize, nb: i32): f32 {
  let acc = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 34, xp = x + <usize>b * 34;
    const s = i32x4.add(dot16(v128.load(wp, 2), v128.load(xp, 2)), dot16(v128.load(wp, 18), v128.load(xp, 18)));
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(s), f32x4.splat(f16ToF32(load<u16>(wp)) * f16ToF32(load<u16>(xp)))));
  }
  return hsum(acc);
}

export function dotQ4_0(w: usize, x: usize, nb: i32): f32 {
  let acc = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 18, xp = x + <usize>b * 34;
    const q = v128.load(wp, 2);
    const s = i32x4.add(dot16(q4_0Low(q), v128.load(xp, 2)), dot16(q4_0High(q), v128.load(xp, 18)));
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(s), f32x4.splat(f16ToF32(load<u16>(wp)) * f16ToF32(load<u16>(xp)))));
  }
  return hsum(acc);
}

/** Four tokens: out[t * outStride] = dot(w, x + t * xStride) for t in 0..3. */
export function dotQ8_0x4(w: usize, x: usize, xStride: usize, nb: i32, out: usize, outStride: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 34;
    const q0 = v128.load(wp, 2), q1 = v128.load(wp, 18);
    const l0 = i16x8.extend_low_i8x16_s(q0), h0 = i16x8.extend_high_i8x16_s(q0);
    const l1 = i16x8.extend_low_i8x16_s(q1), h1 = i16x8.extend_high_i8x16_s(q1);
    const dw = f16ToF32(load<u16>(wp));
    let xp = x + <usize>b * 34;
    a0 = f32x4.add(a0, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(dot16w(l0, h0, v128.load(xp, 2)), dot16w(l1, h1, v128.load(xp, 18)))), f32x4.splat(dw * f16ToF32(load<u16>(xp)))));
    xp += xStride;
    a1 = f32x4.add(a1, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(dot16w(l0, h0, v128.load(xp, 2)), dot16w(l1, h1, v128.load(xp, 18)))), f32x4.splat(dw * f16ToF32(load<u16>(xp)))));
    xp += xStride;
    a2 = f32x4.add(a2, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(dot16w(l0, h0, v128.load(xp, 2)), dot16w(l1, h1, v128.load(xp, 18)))), f32x4.splat(dw * f16ToF32(load<u16>(xp)))));
    xp += xStride;
    a3 = f32x4.add(a3, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(dot16w(l0, h0, v128.load(xp, 2)), dot16w(l1, h1, v128.load(xp, 18)))), f32x4.splat(dw * f16ToF32(load<u16>(xp)))));
  }
  store<f32>(out, hsum(a0));
  store<f32>(out + outStride, hsum(a1));
  store<f32>(out + 2 * outStride, hsum(a2));
  store<f32>(out + 3 * outStride, hsum(a3));
}

export function dotQ4_0x4(w: usize, x: usize, xStride: usize, nb: i32, out: usize, outStride: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 18;
    const q = v128.load(wp, 2);
    const lo = q4_0Low(q), hi = q4_0High(q);
    const l0 = i16x8.extend_low_i8x16_s(lo), h0 = i16x8.extend_high_i8x16_s(lo);
    const l1 = i16x8.extend_low_i8x16_s(hi), h1 = i16x8.extend_high_i8x16_s(hi);
    const dw = f16ToF32(load<u16>(wp));
    let xp = x + <usize>b * 34;
    a0 = f32x4.add(a0, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(dot16w(l0, h0, v128.load(xp, 2)), dot16w(l1, h1, v128.load(xp, 18)))), f32x4.splat(dw * f16ToF32(load<u16>(xp)))));
    xp += xStride;
    a1 = f32x4.add(a1, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(dot16w(l0, h0, v128.load(xp, 2)), dot16w(l1, h1, v128.load(xp, 18)))), f32x4.splat(dw * f16ToF32(load<u16>(xp)))));
    xp += xStride;
    a2 = f32x4.add(a2, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(dot16w(l0, h0, v128.load(xp, 2)), dot16w(l1, h1, v128.load(xp, 18)))), f32x4.splat(dw * f16ToF32(load<u16>(xp)))));
    xp += xStride;
    a3 = f32x4.add(a3, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(dot16w(l0, h0, v128.load(xp, 2)), dot16w(l1, h1, v128.load(xp, 18)))), f32x4.splat(dw * f16ToF32(load<u16>(xp)))));
  }
  store<f32>(out, hsum(a0));
  store<f32>(out + outStride, hsum(a1));
  store<f32>(out + 2 * outStride, hsum(a2));
  store<f32>(out + 3 * outStride, hsum(a3));
}

// ---- k-quants (super-blocks of 256; activations q8_K: {d f32, qs i8[256], bsums i16[16]}, 292 bytes)

/** Integer part of q4_K x q8_K for one super-block: sum over sub-blocks of scale * sum(q * x). */
// @ts-ignore: decorator
@inline function q4KBlockSum(wp: usize, xq: usize): v128 {
  const scales = wp + 4, qs = wp + 16;
  let isum = i32x4.splat(0);
  for (let j = 0; j < 4; j++) {
    const qa = v128.load(qs + (<usize>j << 5)), qb = v128.load(qs + (<usize>j << 5), 16);
    const mask = i8x16.splat(15);
    const xp = xq + (<usize>j << 6);
    const sLow = i32x4.add(dot16(v128.and(qa, mask), v128.load(xp)), dot16(v128.and(qb, mask), v128.load(xp, 16)));
    const sHigh = i32x4.add(dot16(i8x16.shr_u(qa, 4), v128.load(xp, 32)), dot16(i8x16.shr_u(qb, 4), v128.load(xp, 48)));
    isum = i32x4.add(isum, i32x4.mul(sLow, i32x4.splat(q4KScaleMin(scales, 2 * j, false))));
    isum = i32x4.add(isum, i32x4.mul(sHigh, i32x4.splat(q4KScaleMin(scales, 2 * j + 1, false))));
  }
  return isum;
}

/** sum over sub-blocks of min * (sum of the 32 activations), from q8_K's bsums. */
// @ts-ignore: decorator
@inline function q4KMinSum(wp: usize, bsums: usize): i32 {
  let sum = 0;
  for (let j = 0; j < 8; j++) {
    sum += q4KScaleMin(wp + 4, j, true) * (<i32>load<i16>(bsums + (<usize>j << 2)) + <i32>load<i16>(bsums + (<usize>j << 2) + 2));
  }
  return sum;
}

export function dotQ4_K(w: usize, x: usize, nb: i32): f32 {
  let acc = f32x4.splat(0);
  let mins: f32 = 0;
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 144, xp = x + <usize>b * 292;
    const dx = load<f32>(xp);
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(q4KBlockSum(wp, xp + 4)), f32x4.splat(f16ToF32(load<u16>(wp)) * dx)));
    mins += f16ToF32(load<u16>(wp, 2)) * dx * <f32>q4KMinSum(wp, xp + 260);
  }
  return hsum(acc) - mins;
}

/** Integer part of q6_K x q8_K for one super-block: sum over 16 groups of scale * sum(q * x). */
// @ts-ignore: decorator
@inline function q6KBlockSum(wp: usize, xq: usize): v128 {
  let isum = i32x4.splat(0);
  const low = i8x16.splat(15), two = i8x16.splat(3), bias = i8x16.splat(32);
  for (let n = 0; n < 2; n++) {
    const ql = wp + (<usize>n << 6), qh = wp + 128 + (<usize>n << 5), sc = wp + 192 + (<usize>n << 3);
    const xn = xq + (<usize>n << 7);
    for (let half = 0; half < 2; half++) {
      const o = <usize>half << 4;
      const a = v128.load(ql + o), b = v128.load(ql + 32 + o), h = v128.load(qh + o);
      const q1 = i8x16.sub(v128.or(v128.and(a, low), i8x16.shl(v128.and(h, two), 4)), bias);
      const q2 = i8x16.sub(v128.or(v128.and(b, low), i8x16.shl(v128.and(i8x16.shr_u(h, 2), two), 4)), bias);
      const q3 = i8x16.sub(v128.or(i8x16.shr_u(a, 4), i8x16.shl(v128.and(i8x16.shr_u(h, 4), two), 4)), bias);
      const q4 = i8x16.sub(v128.or(i8x16.shr_u(b, 4), i8x16.shl(i8x16.shr_u(h, 6), 4)), bias);
      isum = i32x4.add(isum, i32x4.mul(dot16(q1, v128.load(xn + o)), i32x4.splat(<i32>load<i8>(sc + half))));
      isum = i32x4.add(isum, i32x4.mul(dot16(q2, v128.load(xn + 32 + o)), i32x4.splat(<i32>load<i8>(sc + half + 2))));
      isum = i32x4.add(isum, i32x4.mul(dot16(q3, v128.load(xn + 64 + o)), i32x4.splat(<i32>load<i8>(sc + half + 4))));
      isum = i32x4.add(isum, i32x4.mul(dot16(q4, v128.load(xn + 96 + o)), i32x4.splat(<i32>load<i8>(sc + half + 6))));
    }
  }
  return isum;
}

export function dotQ6_K(w: usize, x: usize, nb: i32): f32 {
  let acc = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 210, xp = x + <usize>b * 292;
    const d = f16ToF32(load<u16>(wp, 208)) * load<f32>(xp);
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(q6KBlockSum(wp, xp + 4)), f32x4.splat(d)));
  }
  return hsum(acc);
}
