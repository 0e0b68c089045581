// Layouts of activations prepared for the quantized dot products. The values are exactly ggml's
// q8_0 / q8_K activations (same int8 quants, same scales). The plain-SIMD build stores them
// widened (scales as f32, quants as i16) because every activation row meets many weight rows and
// widening it once saves the sign extensions and the f16 conversion in the innermost loop. The
// relaxed-SIMD build's q4_0 and q4_K kernels (dotRelaxed.ts) multiply int8 by int8, so the
// activations they read stay bytes (Q8_0R, Q8_KR below).

/** q8_0 wide block of 32: d (f32, the f16-rounded scale) at 0, 32 x i16 quants at 4. */
export const Q8_0W_BYTES: usize = 68;
/** q8_K wide block of 256: d (f32) at 0, 256 x i16 quants at 4, 16 x i16 sums of 16 quants at 516. */
export const Q8_KW_BYTES: usize = 548;
export const Q8_KW_SUMS: usize = 516;

/**
 * q8_0 relaxed block of 32 (for q4_0 weights in the relaxed build): d (f32) at 0; at 4, four i16
 * lane sums, 8 x the sum of the quants of lane i's set S(i) = {2i, 2i+1, 8+2i, 9+2i} + {0, 16}
 * (q4_0's nibble offset: sum (n - 8) x = sum n x - 8 sum x); at 16, the 32 i8 quants, each half
 * of 16 in the order q8_0ROrder(). That order makes the relaxed dot's groups of four adjacent
 * bytes exactly the lane sets of the plain kernels' i32x4.dot_i16x8_s, so both builds sum the
 * same integers per lane and give bit-identical results.
 */
export const Q8_0R_BYTES: usize = 48;
export const Q8_0R_SUMS: usize = 4;
export const Q8_0R_QUANTS: usize = 16;

/**
 * q8_K relaxed block of 256 (for q4_K weights in the relaxed build): d (f32) at 0, 16 x i16 sums
 * of 16 quants at 4, the 256 i8 quants at 48, each group of 16 in the order q8_0ROrder().
 */
export const Q8_KR_BYTES: usize = 304;
export const Q8_KR_SUMS: usize = 4;
export const Q8_KR_QUANTS: usize = 48;

/** Byte k of a relaxed group of 16 holds element order[k] of the group (for i8x16.swizzle). */
// @ts-ignore: decorator
@inline export function q8_0ROrder(): v128 {
  return i8x16(0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15);
}

