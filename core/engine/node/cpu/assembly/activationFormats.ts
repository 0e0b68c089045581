// Layouts of activations prepared for the quantized dot products. The values are exactly ggml's
// q8_0 / q8_K activations (same int8 quants, same scales), stored widened: scales as f32 and
// quants as i16, because every activation row meets many weight rows and widening it once saves
// the sign extensions and the f16 conversion in the innermost loop.

/** q8_0 wide block of 32: d (f32, the f16-rounded scale) at 0, 32 x i16 quants at 4. */
export const Q8_0W_BYTES: usize = 68;
/** q8_K wide block of 256: d (f32) at 0, 256 x i16 quants at 4, 16 x i16 sums of 16 quants at 516. */
export const Q8_KW_BYTES: usize = 548;
export const Q8_KW_SUMS: usize = 516;
