// q4_0 x q8_0 and q4_K x q8_K with relaxed SIMD (built into cpuKernelsRelaxed.wasm only), as
// ggml's AVX2 paths: i16x8.relaxed_dot_i8x16_i7x16_s multiplies 16 activation bytes (i8, first
// operand) by 16 weight nibbles n (0..15, a valid i7 second operand) and adds adjacent pairs.
// q4_0: sum (n - 8) x is sum n x - 8 sum x, with 8 sum x per lane kept in the activation block
// (activationFormats.ts, Q8_0R). q4_K: nibbles are unsigned already; mins use the sums of 16
// (Q8_KR), as in the plain kernel. No sign extension of weights and half the activation bytes of
// the plain kernels.
// Weights are reordered by q8_0ROrder() like the activations, so each i32 lane sums the same
// products as the plain kernels' lanes: results are bit-identical. Pair sums of two groups of 16
// stay within i16 (4 x 15 x 127 = 7620), so they are exact.
// Not done here, measured or counted on x64 without VNNI (V8 11.3 lowers the relaxed dot to
// pmaddubsw): q8_0 x q8_0 with ggml's sign trick (|w| as the i7 operand, the activation negated
// where w < 0) was 10-15% slower than the plain kernel, whose two pmaddwd on pre-widened i16
// multiply as many pairs as pmaddubsw + pmaddwd and need no sign fix-up per token; q6_K (6-bit
// weights 0..63 less 32) would need a per-lane offset per 16 weights and token, which costs what
// the relaxed dot saves.
// i32x4.relaxed_dot_i8x16_i7x16_add_s is not used: V8 11.3's baseline compiler (Liftoff) returns
// 2 x dot and drops the accumulator.

import { blockScales4, f16ToF32 } from './half';
import { hsum, store4 } from './dotQuant';
import { q4KScaleMin } from './kquants';
import { Q8_0R_BYTES, Q8_0R_QUANTS, Q8_0R_SUMS, q8_0ROrder } from './activationFormats';

/** i32 lane i = sum of the products in bytes 4i..4i+3 of x0 * w0 and of x1 * w1 (w: 0..15). */
// @ts-ignore: decorator
@inline function dot32n(x0: v128, w0: v128, x1: v128, w1: v128): v128 {
  return i32x4.extadd_pairwise_i16x8_s(i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x0, w0), i16x8.relaxed_dot_i8x16_i7x16_s(x1, w1)));
}

/** Lane sums of a q4_0 block: nibbles lo (weights 0..15) and hi (16..31), both reordered. */
// @ts-ignore: decorator
@inline function q4_0Lanes(lo: v128, hi: v128, xp: usize): v128 {
  const lanes = dot32n(v128.load(xp + Q8_0R_QUANTS), lo, v128.load(xp + Q8_0R_QUANTS, 16), hi);
  return i32x4.sub(lanes, v128.load16x4_s(xp + Q8_0R_SUMS));
}

/** acc + lanes * dw * dx, for one token's block at xp. */
// @ts-ignore: decorator
@inline function scaled(acc: v128, lanes: v128, dw: f32, xp: usize): v128 {
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(lanes), f32x4.splat(dw * load<f32>(xp))));
}

/** acc + lanes * ds (ds: dw * dx in every lane). */
// @ts-ignore: decorator
@inline function scaledBy(acc: v128, lanes: v128, ds: v128): v128 {
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(lanes), ds));
}

/** Lane sums of the q4_0 block at wp against the activation block at xp. */
// @ts-ignore: decorator
@inline function q4_0BlockR(wp: usize, xp: usize): v128 {
  const q = i8x16.swizzle(v128.load(wp, 2), q8_0ROrder());
  return q4_0Lanes(v128.and(q, i8x16.splat(15)), i8x16.shr_u(q, 4), xp);
}

export function dotQ4_0R(w: usize, x: usize, nb: i32): f32 {
  let acc = f32x4.splat(0);
  let b = 0;
  // Four blocks at a time: their scales are converted and multiplied as one vector.
  for (; b + 4 <= nb; b += 4) {
    const wp = w + <usize>b * 18, xp = x + <usize>b * Q8_0R_BYTES;
    const ds = blockScales4(wp, 18, xp, Q8_0R_BYTES);
    acc = scaledBy(acc, q4_0BlockR(wp, xp), v128.shuffle<i32>(ds, ds, 0, 0, 0, 0));
    acc = scaledBy(acc, q4_0BlockR(wp + 18, xp + Q8_0R_BYTES), v128.shuffle<i32>(ds, ds, 1, 1, 1, 1));
    acc = scaledBy(acc, q4_0BlockR(wp + 36, xp + 2 * Q8_0R_BYTES), v128.shuffle<i32>(ds, ds, 2, 2, 2, 2));
    acc = scaledBy(acc, q4_0BlockR(wp + 54, xp + 3 * Q8_0R_BYTES), v128.shuffle<i32>(ds, ds, 3, 3, 3, 3));
  }
  for (; b < nb; b++) {
    const wp = w + <usize>b * 18, xp = x + <usize>b * Q8_0R_BYTES;
    const q = i8x16.swizzle(v128.load(wp, 2), q8_0ROrder());
    acc = scaled(acc, q4_0Lanes(v128.and(q, i8x16.splat(15)), i8x16.shr_u(q, 4), xp), f16ToF32(load<u16>(wp)), xp);
  }
  return hsum(acc);
}

/** Four tokens: out[t * outStride] = dot(w, x + t * xStride) for t in 0..3. */
export function dotQ4_0Rx4(w: usize, x: usize, xStride: usize, nb: i32, out: usize, outStride: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 18, xp = x + <usize>b * Q8_0R_BYTES;
    const q = i8x16.swizzle(v128.load(wp, 2), q8_0ROrder());
    const lo = v128.and(q, i8x16.splat(15)), hi = i8x16.shr_u(q, 4);
    const dw = f16ToF32(load<u16>(wp));
    a0 = scaled(a0, q4_0Lanes(lo, hi, xp), dw, xp);
    a1 = scaled(a1, q4_0Lanes(lo, hi, xp + xStride), dw, xp + xStride);
    a2 = scaled(a2, q4_0Lanes(lo, hi, xp + 2 * xStride), dw, xp + 2 * xStride);
    a3 = scaled(a3, q4_0Lanes(lo, hi, xp + 3 * xStride), dw, xp + 3 * xStride);
  }
  store4(out, outStride, a0, a1, a2, a3);
}

// ---- q4_K (super-blocks of 256; dotQuant.ts has the layout and the kernels, which call these)

/** Integer part of one super-block: sum over sub-blocks of scale * sum(q * x); `xq`: the quants. */
// @ts-ignore: decorator
@inline export function q4KBlockSumR(wp: usize, xq: usize): v128 {
  let isum = i32x4.splat(0);
  const mask = i8x16.splat(15);
  for (let j = 0; j < 4; j++) {
    const qa = i8x16.swizzle(v128.load(wp + 16 + (<usize>j << 5)), q8_0ROrder());
    const qb = i8x16.swizzle(v128.load(wp + 16 + (<usize>j << 5), 16), q8_0ROrder());
    const xp = xq + (<usize>j << 6);
    const sLow = dot32n(v128.load(xp), v128.and(qa, mask), v128.load(xp, 16), v128.and(qb, mask));
    const sHigh = dot32n(v128.load(xp, 32), i8x16.shr_u(qa, 4), v128.load(xp, 48), i8x16.shr_u(qb, 4));
    isum = i32x4.add(isum, i32x4.mul(sLow, i32x4.splat(q4KScaleMin(wp + 4, 2 * j, false))));
    isum = i32x4.add(isum, i32x4.mul(sHigh, i32x4.splat(q4KScaleMin(wp + 4, 2 * j + 1, false))));
  }
  return isum;
}

/** Weights h..h+15 (h: 0 or 16) of sub-block j (nibbles of bytes 32(j/2)..+31: low for even j), reordered. */
// @ts-ignore: decorator
@inline export function q4KNibblesR(wp: usize, j: i32, h: usize): v128 {
  const q = i8x16.swizzle(v128.load(wp + 16 + (<usize>(j >> 1) << 5) + h), q8_0ROrder());
  return (j & 1) == 0 ? v128.and(q, i8x16.splat(15)) : i8x16.shr_u(q, 4);
}

/** i + (sub-block lanes of the token at xj) * sc, from the sub-block's reordered nibbles qa, qb. */
// @ts-ignore: decorator
@inline export function q4KStepR(i: v128, qa: v128, qb: v128, xj: usize, sc: v128): v128 {
  return i32x4.add(i, i32x4.mul(dot32n(v128.load(xj), qa, v128.load(xj, 16), qb), sc));
}
