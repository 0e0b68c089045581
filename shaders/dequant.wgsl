// dequant.wgsl: weights of every stored type as f32, four at a time (included by embed, matmul
// and gemv; the including kernel declares `weights: array<u32>`). One TYPE_* define selects the
// type. Layout of a weight chunk on the GPU (weightLayout.ts repacks at upload, same bytes as the
// file): f32 flat; f16 and bf16 flat, two per word; q8_0 [quants: 8 words a block][scales: f16,
// two a word]; q4_0 [quants: 4 words a block][scales]; q4_K ggml blocks as stored (36 words);
// q6_K [ql 32 words, qh 16 words, scales 4 words: 52 words a block][d: f16, two a word].
// Separating scales from quants makes every block word-aligned, so quants load as whole words.
//
// `e` is an element index in the chunk (row * n + i) with i % 4 == 0 and i + 4 <= n; `nb` is
// the number of blocks in the chunk (where the scales start). Values are rounded as the CPU
// reference dequantizes: (d * scale) * q - dmin * min.

/** Scale of block b: f16, two a word, from word `start`. */
fn block_scale(start: u32, b: u32) -> f32 {
  return f16_to_f32(weights[start + (b >> 1u)] >> ((b & 1u) * 16u));
}

#ifdef TYPE_F32
fn weight1(e: u32, nb: u32) -> f32 { return bitcast<f32>(weights[e]); }
fn weight4(e: u32, nb: u32) -> vec4<f32> {
  return vec4<f32>(bitcast<f32>(weights[e]), bitcast<f32>(weights[e + 1u]), bitcast<f32>(weights[e + 2u]), bitcast<f32>(weights[e + 3u]));
}
#endif

#ifdef TYPE_F16
fn weight1(e: u32, nb: u32) -> f32 { return f16_to_f32(weights[e >> 1u] >> ((e & 1u) * 16u)); }
fn weight4(e: u32, nb: u32) -> vec4<f32> {
  if ((e & 1u) == 0u) { return vec4<f32>(f16x2_to_f32(weights[e >> 1u]), f16x2_to_f32(weights[(e >> 1u) + 1u])); }
  return vec4<f32>(weight1(e, nb), weight1(e + 1u, nb), weight1(e + 2u, nb), weight1(e + 3u, nb));
}
#endif

#ifdef TYPE_BF16
fn weight1(e: u32, nb: u32) -> f32 { return bf16_to_f32(weights[e >> 1u] >> ((e & 1u) * 16u)); }
fn weight4(e: u32, nb: u32) -> vec4<f32> {
  return vec4<f32>(weight1(e, nb), weight1(e + 1u, nb), weight1(e + 2u, nb), weight1(e + 3u, nb));
}
#endif

#ifdef TYPE_Q8_0
fn weight4(e: u32, nb: u32) -> vec4<f32> {
  let b = e >> 5u;
  return block_scale(nb * 8u, b) * i8x4(weights[b * 8u + ((e & 31u) >> 2u)]);
}
#endif

#ifdef TYPE_Q4_0
fn weight4(e: u32, nb: u32) -> vec4<f32> {
  let b = e >> 5u;
  let j = e & 31u; // 0..15: low nibbles of bytes j..j+3; 16..31: high nibbles of bytes j-16..
  let q = (weights[b * 4u + ((j & 15u) >> 2u)] >> select(0u, 4u, j >= 16u)) & 0x0f0f0f0fu;
  return block_scale(nb * 4u, b) * (u8x4(q) - vec4<f32>(8.0));
}
#endif

#ifdef TYPE_Q4_K
/** Byte k (0..11) of the packed 6-bit scales and mins of the block at word `base`. */
fn q4k_scale_byte(base: u32, k: u32) -> u32 {
  return (weights[base + 1u + (k >> 2u)] >> ((k & 3u) * 8u)) & 0xffu;
}

/** (scale, min) of sub-block j (0..7), as ggml's get_scale_min_k4. */
fn q4k_scale_min(base: u32, j: u32) -> vec2<f32> {
  if (j < 4u) { return vec2<f32>(f32(q4k_scale_byte(base, j) & 63u), f32(q4k_scale_byte(base, j + 4u) & 63u)); }
  let hi = q4k_scale_byte(base, j + 4u);
  return vec2<f32>(f32((hi & 15u) | ((q4k_scale_byte(base, j - 4u) >> 6u) << 4u)), f32((hi >> 4u) | ((q4k_scale_byte(base, j) >> 6u) << 4u)));
}

fn weight4(e: u32, nb: u32) -> vec4<f32> {
  let base = (e >> 8u) * 36u;
  let i = e & 255u;
  let high = (i & 63u) >= 32u; // sub-block 2j: low nibbles of bytes 32j..; 2j + 1: high nibbles
  let q = (weights[base + 4u + (((i >> 6u) * 32u + (i & 31u)) >> 2u)] >> select(0u, 4u, high)) & 0x0f0f0f0fu;
  let sm = q4k_scale_min(base, (i >> 6u) * 2u + select(0u, 1u, high));
  let dm = f16x2_to_f32(weights[base]);
  return (dm.x * sm.x) * u8x4(q) - vec4<f32>(dm.y * sm.y);
}
#endif

#ifdef TYPE_Q6_K
fn weight4(e: u32, nb: u32) -> vec4<f32> {
  let b = e >> 8u;
  let base = b * 52u;
  let i = e & 255u;
  let half = i >> 7u;
  let k = (i & 127u) >> 5u; // quarter: 0 ql[l] low, 1 ql[32 + l] low, 2 ql[l] high, 3 ql[32 + l] high
  let l = i & 31u;
  let low = (weights[base + ((half * 64u + (k & 1u) * 32u + l) >> 2u)] >> select(0u, 4u, k >= 2u)) & 0x0f0f0f0fu;
  let high = (weights[base + 32u + ((half * 32u + l) >> 2u)] >> (2u * k)) & 0x03030303u;
  let s = half * 8u + (l >> 4u) + 2u * k; // signed scale byte
  let scale = f32(bitcast<i32>(((weights[base + 48u + (s >> 2u)] >> ((s & 3u) * 8u)) & 0xffu) << 24u) >> 24u);
  return (block_scale(nb * 52u, b) * scale) * (u8x4(low | (high << 4u)) - vec4<f32>(32.0));
}
#endif

#ifdef QUANTIZED
/** One weight (quantized rows are whole blocks, so the aligned group of four is in the row). */
fn weight1(e: u32, nb: u32) -> f32 { return weight4(e & ~3u, nb)[e & 3u]; }
#endif
