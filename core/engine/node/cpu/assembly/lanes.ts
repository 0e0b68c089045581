// SIMD lane helpers the CPU kernels share: horizontal sums, the integer dot products of widened
// weights with i16 activations, four-token gathers and stores, and the four-token block step of
// the q8_0/q4_0 kernels (dotQuant.ts, dotRelaxed.ts, dotKQuant.ts, dotFloat.ts, attention.ts).

/** Sum of the four f32 lanes of v, lane 0 first. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Sum of 16 products: bytes `w` (signed, widened here) with 16 i16 activations at `x`. */
// @ts-ignore: decorator
@inline export function dot16(w: v128, x: usize): v128 {
  return i32x4.add(
    i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(w), v128.load(x)),
    i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(w), v128.load(x, 16)),
  );
}

/** Sum of 32 products of four widened weight vectors with 32 i16 activations at `x`. */
// @ts-ignore: decorator
@inline export function dot32w(w0: v128, w1: v128, w2: v128, w3: v128, x: usize): v128 {
  return i32x4.add(
    i32x4.add(i32x4.dot_i16x8_s(w0, v128.load(x)), i32x4.dot_i16x8_s(w1, v128.load(x, 16))),
    i32x4.add(i32x4.dot_i16x8_s(w2, v128.load(x, 32)), i32x4.dot_i16x8_s(w3, v128.load(x, 48))),
  );
}

/**
 * Lane t = the sum of the four i32 lanes of the t-th argument: four horizontal sums as one
 * transpose-add (six shuffles, three adds).
 */
// @ts-ignore: decorator
@inline export function laneSums4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = i32x4.add(v128.shuffle<i32>(a, b, 0, 4, 1, 5), v128.shuffle<i32>(a, b, 2, 6, 3, 7));
  const cd = i32x4.add(v128.shuffle<i32>(c, d, 0, 4, 1, 5), v128.shuffle<i32>(c, d, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(ab, cd, 0, 1, 4, 5), v128.shuffle<i32>(ab, cd, 2, 3, 6, 7));
}

/** Lane t = the 32-bit word at p + t * stride (t = 0..3): one value of each of four tokens' rows. */
// @ts-ignore: decorator
@inline export function tokenLanes4(p: usize, stride: usize): v128 {
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + stride, v, 1);
  v = v128.load32_lane(p + 2 * stride, v, 2);
  return v128.load32_lane(p + 3 * stride, v, 3);
}

/**
 * Four tokens' step over one block: acc + f32(totals) * dw * dx, lane t for token t (its block
 * total and activation scale in lane t of `totals` and `dx`; `dw`: the weight scale in every lane).
 */
// @ts-ignore: decorator
@inline export function blockStep4(acc: v128, totals: v128, dw: v128, dx: v128): v128 {
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(totals), f32x4.mul(dw, dx)));
}

/** Stores lane t of `acc` at out + t * outStride (t = 0..3). */
// @ts-ignore: decorator
@inline export function storeLanes(out: usize, outStride: usize, acc: v128): void {
  v128.store32_lane(out, acc, 0);
  v128.store32_lane(out + outStride, acc, 1);
  v128.store32_lane(out + 2 * outStride, acc, 2);
  v128.store32_lane(out + 3 * outStride, acc, 3);
}

/** Stores the horizontal sums of a0..a3 at out + t * outStride (t = 0..3). */
// @ts-ignore: decorator
@inline export function store4(out: usize, outStride: usize, a0: v128, a1: v128, a2: v128, a3: v128): void {
  store<f32>(out, hsum(a0));
  store<f32>(out + outStride, hsum(a1));
  store<f32>(out + 2 * outStride, hsum(a2));
  store<f32>(out + 3 * outStride, hsum(a3));
}
