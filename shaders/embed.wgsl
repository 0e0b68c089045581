// embed.wgsl: the embedding gather. out[t] = row tokens[t] of the embedding table, dequantized
// to f32 (every stored type, TYPE_* define; dequant.wgsl). A table larger than one binding is
// split in chunks of rows (weightLayout.ts): each chunk is one dispatch, and a token whose row
// is in another chunk is skipped by that dispatch.
// Why a kernel: the table stays on the GPU in its stored type; only the token ids go up.
// Threads: one thread per four values of a row; grid (x: groups of four over the row, y: token).

#include "common.wgsl"

struct Params {
  n: u32,            // row length (model dim)
  tokens: u32,       // tokens in the batch
  ids_offset: u32,   // word offset of the token ids in host_data
  out_offset: u32,   // element offset of row 0 in out
  row_start: u32,    // first table row held by this chunk
  chunk_rows: u32,   // rows held by this chunk
  nb: u32,           // quantized blocks in this chunk
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> weights: array<u32>;   // table chunk [chunk_rows][n] in its stored type
@group(0) @binding(2) var<storage, read> host_data: array<u32>; // token ids (i32) at ids_offset
@group(0) @binding(3) var<storage, read_write> out: array<f32>; // [tokens][n]

#include "dequant.wgsl"

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.y;
  let i = gid.x * 4u;
  if (t >= params.tokens || i >= params.n) { return; }
  let r = host_data[params.ids_offset + t] - params.row_start; // wraps for rows before the chunk
  if (r >= params.chunk_rows) { return; }
  let e = r * params.n + i;
  let o = params.out_offset + t * params.n + i;
  if (i + 4u <= params.n) {
    let v = weight4(e, params.nb);
    out[o] = v.x;
    out[o + 1u] = v.y;
    out[o + 2u] = v.z;
    out[o + 3u] = v.w;
  } else {
    for (var j = 0u; i + j < params.n; j++) { out[o + j] = weight1(e + j, params.nb); }
  }
}
