// Layouts of activations prepared for the quantized dot products. The values are exactly ggml's
// q8_0 / q8_K activations (same int8 quants, same scales). The plain-SIMD build stores them
// widened (scales as f32, quants as i16) because every activation row meets many weight rows and
// widening it once saves the sign extensions and the f16 conversion in the innermost loop. The
// relaxed-SIMD build's q4_0 and q4_K kernels (dotRelaxed.ts) multiply int8 by int8, so the
// activations they read stay bytes (Q8_0R, Q8_KR below). q8_0 rows keep their scales apart from
// their quants; q8_K rows are blocks with the scale in front.

/**
 * q8_0 wide row of nb blocks of 32: the nb scales d (f32, f16-rounded) first, then the nb blocks'
 * quants, 32 x i16 (64 bytes) each: 68 bytes a block. Scales apart from quants let a kernel load
 * four blocks' scales as one vector; the quants are 16-byte aligned (in a 16-byte aligned buffer)
 * only when nb % 4 == 0, i.e. rows of a multiple of 128 (other rows load them unaligned).
 */
export const Q8_0W_BYTES: usize = 68;
/** Byte offset of the quants of a q8_0 wide row of `nb` blocks. */
// @ts-ignore: decorator
@inline export function q8_0WQuants(nb: i32): usize { return <usize>nb << 2; }
/** q8_K wide block of 256: d (f32) at 0, 256 x i16 quants at 4, 16 x i16 sums of 16 quants at 516. */
export const Q8_KW_BYTES: usize = 548;
export const Q8_KW_SUMS: usize = 516;

/**
 * q8_0 relaxed row of nb blocks of 32 (for q4_0 weights in the relaxed build): the nb scales d
 * (f32) first, then nb i32 offsets, 8 x the sum of each block's quants (q4_0's nibble offset:
 * sum (n - 8) x = sum n x - 8 sum x), then the nb blocks' 32 i8 quants in their natural order
 * (16-byte aligned when nb is even): 40 bytes a block. The kernels sum each block's products into
 * one integer before any float arithmetic, so both builds give bit-identical results whatever the
 * lane order.
 */
export const Q8_0R_BYTES: usize = 40;
/** Byte offsets of the offsets and of the quants of a q8_0 relaxed row of `nb` blocks. */
// @ts-ignore: decorator
@inline export function q8_0ROffsets(nb: i32): usize { return <usize>nb << 2; }
// @ts-ignore: decorator
@inline export function q8_0RQuants(nb: i32): usize { return <usize>nb << 3; }

/**
 * q8_K relaxed block of 256 (for q4_K weights in the relaxed build): d (f32) at 0, 16 x i16 sums
 * of 16 quants at 4, the 256 i8 quants at 48, each group of 16 in the order q8_KROrder().
 */
export const Q8_KR_BYTES: usize = 304;
export const Q8_KR_SUMS: usize = 4;
export const Q8_KR_QUANTS: usize = 48;

/**
 * Bytes of one row of `n` activations prepared as `format`, the quantize job's format ids
 * (jobs.ts): 0 q8_0 wide, 1 q8_K wide, 4 q8_0 relaxed, 5 q8_K relaxed; 2 and 3 (values rounded
 * to f16 or bf16, kept as f32) and any other, n f32.
 */
export function activationRowBytes(format: i32, n: i32): i32 {
  switch (format) {
    case 0: return (n >> 5) * <i32>Q8_0W_BYTES;
    case 4: return (n >> 5) * <i32>Q8_0R_BYTES;
    case 1: return (n >> 8) * <i32>Q8_KW_BYTES;
    case 5: return (n >> 8) * <i32>Q8_KR_BYTES;
    default: return n << 2;
  }
}

/** Byte k of a relaxed q8_K group of 16 holds element order[k] of the group (for i8x16.swizzle). */
// @ts-ignore: decorator
@inline export function q8_KROrder(): v128 {
  return i8x16(0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15);
}

