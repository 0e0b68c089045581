// rope.wgsl: rotary position embedding of the heads of q or k, in place; with STORE_KV fused with
// the write of this layer's k and v rows into the KV cache (f16 with KV_F16, else f32).
// The rotation of pair i of token t is (cos, sin) of table[t][i], which the host computes once
// per forward pass as the CPU backend does (ggml's rope_cache_init: theta accumulated in f32,
// divided by the frequency factors of Llama 3, times the linear scaling factor), so every
// scaling variant is only a different table. Pairs are (2i, 2i+1) (GGUF llama, interleaved) or
// (i, i + ropeDim/2) (NeoX, neox = 1); dims past ropeDim are not rotated.
// Why fused with the KV write: the rotated k is written where attention reads it, in the cache's
// type, without a second pass over k.
// Threads: one workgroup of 64 per (head, token): the rotated head goes to workgroup memory
// first (a NeoX pair spans two halves of the head), then is written out.

#include "common.wgsl"

struct Params {
  rows: u32,         // tokens
  heads: u32,        // heads per token in x
  head_dim: u32,
  rope_dim: u32,     // rotated dims of each head (even, <= head_dim)
  neox: u32,         // 1: pairs (i, i + rope_dim / 2); 0: pairs (2i, 2i + 1)
  x_offset: u32,     // element offset of row 0 in x (and v)
  table_offset: u32, // word offset of the (cos, sin) table [rows][rope_dim / 2] in host_data
  pos0: u32,         // STORE_KV: cache position of row 0
  capacity: u32,     // STORE_KV: positions per head in the cache
  v_offset: u32,     // STORE_KV: element offset of row 0 in v
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> host_data: array<u32>;       // (cos, sin) as f32 bits
#ifdef STORE_KV
@group(0) @binding(2) var<storage, read> v: array<f32>;                // [rows][heads][head_dim]
@group(0) @binding(3) var<storage, read_write> x: array<f32>;          // k: [rows][heads][head_dim]
@group(0) @binding(4) var<storage, read_write> cache_k: array<u32>;    // [heads][capacity][head_dim]
@group(0) @binding(5) var<storage, read_write> cache_v: array<u32>;    // same layout
#else
@group(0) @binding(2) var<storage, read_write> x: array<f32>;          // [rows][heads][head_dim]
#endif

var<workgroup> rotated: array<f32, 512>; // one head (head_dim <= 512)

fn rotate(base: u32, t: u32, d: u32) -> f32 {
  if (d >= params.rope_dim) { return x[base + d]; }
  let half = params.rope_dim / 2u;
  let first = select((d & 1u) == 0u, d < half, params.neox == 1u);
  let pair = select(d >> 1u, d % half, params.neox == 1u);
  let partner = select(d ^ 1u, select(d - half, d + half, first), params.neox == 1u);
  let at = params.table_offset + (t * half + pair) * 2u;
  let c = bitcast<f32>(host_data[at]);
  let s = bitcast<f32>(host_data[at + 1u]);
  let a = x[base + d];
  let b = x[base + partner];
  // first of the pair: x0 c - x1 s; second: x0 s + x1 c (x0 = first, x1 = second)
  return select(b * s + a * c, a * c - b * s, first);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let h = wid.x;
  let t = wid.y;
  let base = params.x_offset + (t * params.heads + h) * params.head_dim;
  for (var d = li; d < params.head_dim; d += 64u) { rotated[d] = rotate(base, t, d); }
  workgroupBarrier();
  for (var d = li; d < params.head_dim; d += 64u) { x[base + d] = rotated[d]; }
#ifdef STORE_KV
  let slot = (h * params.capacity + params.pos0 + t) * params.head_dim;
  let vb = params.v_offset + (t * params.heads + h) * params.head_dim;
#ifdef KV_F16
  for (var w = li; w < params.head_dim / 2u; w += 64u) {
    cache_k[slot / 2u + w] = f32_to_f16(rotated[2u * w]) | (f32_to_f16(rotated[2u * w + 1u]) << 16u);
    cache_v[slot / 2u + w] = f32_to_f16(v[vb + 2u * w]) | (f32_to_f16(v[vb + 2u * w + 1u]) << 16u);
  }
#else
  for (var d = li; d < params.head_dim; d += 64u) {
    cache_k[slot + d] = bitcast<u32>(rotated[d]);
    cache_v[slot + d] = bitcast<u32>(v[vb + d]);
  }
#endif
#endif
}
