// q4_0 x q8_0 and q4_K x q8_K with relaxed SIMD (built into cpuKernelsRelaxed.wasm only), as
// ggml's AVX2 paths: i16x8.relaxed_dot_i8x16_i7x16_s multiplies 16 activation bytes (i8, first
// operand) by 16 weight nibbles n (0..15, a valid i7 second operand) and adds adjacent pairs.
// q4_0: sum (n - 8) x is sum n x - 8 sum x, with 8 sum x per block kept in the activation row
// (activationFormats.ts, Q8_0R); the block totals are exact integers, so the results equal the
// plain kernels' bit for bit (dotQuant.ts runs the same float steps). q4_K: nibbles are unsigned
// already; mins use the sums of 16 (Q8_KR), as in the plain kernel; its weights are reordered by
// q8_KROrder() like the activations, so each i32 lane sums the same products as the plain
// kernel's lanes. No sign extension of weights and half the activation bytes of the plain
// kernels. Pair sums of two groups of 16 stay within i16 (4 x 15 x 127 = 7620), so they are exact.
// Not done here, measured or counted on x64 without VNNI (V8 11.3 lowers the relaxed dot to
// pmaddubsw): q8_0 x q8_0 with ggml's sign trick (|w| as the i7 operand, the activation negated
// where w < 0) was 10-15% slower than the plain kernel, whose two pmaddwd on pre-widened i16
// multiply as many pairs as pmaddubsw + pmaddwd and need no sign fix-up per token; q6_K (6-bit
// weights 0..63 less 32) would need a per-lane offset per 16 weights and token, which costs what
// the relaxed dot saves.
// i32x4.relaxed_dot_i8x16_i7x16_add_s is not used: V8 11.3's baseline compiler (Liftoff) returns
// 2 x dot and drops the accumulator.

import { blockStep4, laneSums4 } from './lanes';
import { q4KScaleMin } from './kquants';
import { q8_0RQuants, q8_KROrder } from './activationFormats';

/** i32 lane i = sum of the products in bytes 4i..4i+3 of x0 * w0 and of x1 * w1 (w: 0..15). */
// @ts-ignore: decorator
@inline function dot32n(x0: v128, w0: v128, x1: v128, w1: v128): v128 {
  return i32x4.extadd_pairwise_i16x8_s(i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x0, w0), i16x8.relaxed_dot_i8x16_i7x16_s(x1, w1)));
}

/** Lane sums of sum n x over the q4_0 block at wp (nibbles n) and the 32 activation bytes at xq. */
// @ts-ignore: decorator
@inline export function q4_0LanesR(wp: usize, xq: usize): v128 {
  const q = v128.load(wp, 2);
  return dot32n(v128.load(xq), v128.and(q, i8x16.splat(15)), v128.load(xq, 16), i8x16.shr_u(q, 4));
}

/**
 * acc + the step of four tokens (blockStep4) over q4_0 block b at wp, whose activation rows at x
 * (relaxed rows of nb blocks, xStride apart) give each token's quants; xs: their interleaved scales
 * and offsets (matmul.ts).
 */
// @ts-ignore: decorator
@inline export function q4_0StepR(acc: v128, wp: usize, x: usize, xStride: usize, nb: i32, b: i32, dw: v128, xs: usize): v128 {
  const q = v128.load(wp, 2);
  const lo = v128.and(q, i8x16.splat(15)), hi = i8x16.shr_u(q, 4);
  const xp = x + q8_0RQuants(nb) + (<usize>b << 5);
  const sums = laneSums4(dot32n(v128.load(xp), lo, v128.load(xp, 16), hi), dot32n(v128.load(xp + xStride), lo, v128.load(xp + xStride, 16), hi),
    dot32n(v128.load(xp + 2 * xStride), lo, v128.load(xp + 2 * xStride, 16), hi), dot32n(v128.load(xp + 3 * xStride), lo, v128.load(xp + 3 * xStride, 16), hi));
  const totals = i32x4.sub(sums, v128.load(xs + (<usize>(nb + b) << 4)));
  return blockStep4(acc, totals, dw, v128.load(xs + (<usize>b << 4)));
}

// ---- q4_K (super-blocks of 256; dotKQuant.ts has the layout and the kernels, which call these)

/** Integer part of one super-block: sum over sub-blocks of scale * sum(q * x); `xq`: the quants. */
// @ts-ignore: decorator
@inline export function q4KBlockSumR(wp: usize, xq: usize): v128 {
  let isum = i32x4.splat(0);
  const mask = i8x16.splat(15);
  for (let j = 0; j < 4; j++) {
    const qa = i8x16.swizzle(v128.load(wp + 16 + (<usize>j << 5)), q8_KROrder());
    const qb = i8x16.swizzle(v128.load(wp + 16 + (<usize>j << 5), 16), q8_KROrder());
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
  const q = i8x16.swizzle(v128.load(wp + 16 + (<usize>(j >> 1) << 5) + h), q8_KROrder());
  return (j & 1) == 0 ? v128.and(q, i8x16.splat(15)) : i8x16.shr_u(q, 4);
}

/** i + (sub-block lanes of the token at xj) * sc, from the sub-block's reordered nibbles qa, qb. */
// @ts-ignore: decorator
@inline export function q4KStepR(i: v128, qa: v128, qb: v128, xj: usize, sc: v128): v128 {
  return i32x4.add(i, i32x4.mul(dot32n(v128.load(xj), qa, v128.load(xj, 16), qb), sc));
}
