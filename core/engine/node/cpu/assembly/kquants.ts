// Shared pieces of the k-quant layouts (ggml-common.h block_q4_K).

/** 6-bit scale (or min when `wantMin`) of sub-block j (0..7) of a q4_K block; `s` points at its
 * 12 packed scale bytes (ggml get_scale_min_k4). */
// @ts-ignore: decorator
@inline export function q4KScaleMin(s: usize, j: i32, wantMin: bool): i32 {
  if (j < 4) return wantMin ? load<u8>(s + j + 4) & 63 : load<u8>(s + j) & 63;
  return wantMin
    ? (load<u8>(s + j + 4) >> 4) | ((load<u8>(s + j) >> 6) << 4)
    : (load<u8>(s + j + 4) & 15) | ((load<u8>(s + j - 4) >> 6) << 4);
}
