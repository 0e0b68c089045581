// matmul.wgsl: the tiled matrix product of prefill. out[t][col0 + r] = sum_i W[r][i] * X[t][i]
// for the rows r of one weight chunk and the tokens t of a batch; W in its stored type, X the
// activations already in the type's dot-product format (quantize_act.wgsl).
// Why tiled: a 32 x 32 output tile reads a 32 x 32 tile of W and of X per step of 32 along i,
// so each weight is read from memory once per 32 tokens and each activation once per 32 rows;
// dequantization happens in the tile loader (weight4 of dequant.wgsl), once per loaded weight,
// never in the inner product loop.
// Threads: 256 per workgroup (16 x 16), each accumulating a 2 x 2 block of outputs; one
// workgroup per (32 rows, 32 tokens) tile. Edges (rows, tokens or i past the end) load zeros.

#include "common.wgsl"

const TILE = 32u;

struct Params {
  n: u32,          // row length of W and X (inputs)
  rows: u32,       // weight rows in this chunk
  tokens: u32,     // tokens in the batch
  x_offset: u32,   // element offset of token 0 in x
  out_offset: u32, // element offset of token 0 in out
  out_stride: u32, // elements per token in out (its columns)
  col0: u32,       // column of out that chunk row 0 lands in
  nb: u32,         // quantized blocks in this chunk
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> weights: array<u32>;  // W chunk [rows][n], stored type
@group(0) @binding(2) var<storage, read> x: array<f32>;        // [tokens][n]
@group(0) @binding(3) var<storage, read_write> out: array<f32>; // [tokens][out_stride]

#include "dequant.wgsl"

var<workgroup> tile_w: array<vec4<f32>, 256>; // [32 rows][8 groups of 4 along i]
var<workgroup> tile_x: array<vec4<f32>, 256>; // [32 tokens][8 groups of 4 along i]

fn load_w(r: u32, i: u32) -> vec4<f32> {
  if (r >= params.rows || i >= params.n) { return vec4<f32>(0.0); }
  let e = r * params.n + i;
  if (i + 4u <= params.n) { return weight4(e, params.nb); }
  var v = vec4<f32>(0.0);
  for (var j = 0u; i + j < params.n; j++) { v[j] = weight1(e + j, params.nb); }
  return v;
}

fn load_x(t: u32, i: u32) -> vec4<f32> {
  if (t >= params.tokens || i >= params.n) { return vec4<f32>(0.0); }
  let b = params.x_offset + t * params.n + i;
  var v = vec4<f32>(0.0);
  for (var j = 0u; j < 4u && i + j < params.n; j++) { v[j] = x[b + j]; }
  return v;
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let r0 = wid.x * TILE;
  let t0 = wid.y * TILE;
  var acc = array<vec2<f32>, 2>(vec2<f32>(0.0), vec2<f32>(0.0)); // acc[token][row]
  let lr = li / 8u;         // loader: row (or token) of the tile
  let lk = (li % 8u) * 4u;  // loader: first of four along i
  for (var k0 = 0u; k0 < params.n; k0 += TILE) {
    tile_w[li] = load_w(r0 + lr, k0 + lk);
    tile_x[li] = load_x(t0 + lr, k0 + lk);
    workgroupBarrier();
    for (var g = 0u; g < 8u; g++) {
      let w0 = tile_w[(lid.x * 2u) * 8u + g];
      let w1 = tile_w[(lid.x * 2u + 1u) * 8u + g];
      let x0 = tile_x[(lid.y * 2u) * 8u + g];
      let x1 = tile_x[(lid.y * 2u + 1u) * 8u + g];
      acc[0] += vec2<f32>(dot(w0, x0), dot(w1, x0));
      acc[1] += vec2<f32>(dot(w0, x1), dot(w1, x1));
    }
    workgroupBarrier();
  }
  for (var a = 0u; a < 2u; a++) {
    let t = t0 + lid.y * 2u + a;
    if (t >= params.tokens) { continue; }
    for (var b = 0u; b < 2u; b++) {
      let r = r0 + lid.x * 2u + b;
      if (r < params.rows) { out[params.out_offset + t * params.out_stride + params.col0 + r] = acc[a][b]; }
    }
  }
}
