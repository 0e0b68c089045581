// matmul.wgsl: the tiled matrix product of prefill. out[t][col0 + r] = sum_i W[r][i] * X[t][i]
// for the rows r of one weight chunk and the tokens t of a batch; W in its stored type, X the
// activations already in the type's dot-product format (quantize_act.wgsl).
// Why tiled: a 64 x 64 output tile reads a 64 x 16 tile of W and of X per step of 16 along i,
// so each weight is read from memory once per 64 tokens and each activation once per 64 rows;
// dequantization happens in the tile loader (weight4 of dequant.wgsl), once per loaded weight,
// never in the inner product loop.
// Threads: 256 per workgroup (16 x 16), each accumulating a 4 x 4 block of outputs (rows
// lid.x + 16a, tokens lid.y + 16b, so neighbouring threads read neighbouring tile entries); one
// workgroup per (64 rows, 64 tokens) tile. Edges (rows, tokens or i past the end) load zeros.

#include "common.wgsl"

const TILE = 64u; // rows and tokens of an output tile
const STEP = 16u; // inputs per step along i

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

var<workgroup> tile_w: array<vec4<f32>, 256>; // [4 groups of 4 along i][64 rows]
var<workgroup> tile_x: array<vec4<f32>, 256>; // [4 groups of 4 along i][64 tokens]

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
  var acc: array<vec4<f32>, 4>; // acc[token b][row a]
  let lr = li / 4u;        // loader: row (or token) of the tile
  let lg = li % 4u;        // loader: group of four along i
  for (var k0 = 0u; k0 < params.n; k0 += STEP) {
    tile_w[lg * TILE + lr] = load_w(r0 + lr, k0 + lg * 4u);
    tile_x[lg * TILE + lr] = load_x(t0 + lr, k0 + lg * 4u);
    workgroupBarrier();
    for (var g = 0u; g < 4u; g++) {
      let w0 = tile_w[g * TILE + lid.x];
      let w1 = tile_w[g * TILE + lid.x + 16u];
      let w2 = tile_w[g * TILE + lid.x + 32u];
      let w3 = tile_w[g * TILE + lid.x + 48u];
      for (var b = 0u; b < 4u; b++) {
        let x = tile_x[g * TILE + lid.y + 16u * b];
        acc[b] += vec4<f32>(dot(w0, x), dot(w1, x), dot(w2, x), dot(w3, x));
      }
    }
    workgroupBarrier();
  }
  for (var b = 0u; b < 4u; b++) {
    let t = t0 + lid.y + 16u * b;
    if (t >= params.tokens) { continue; }
    for (var a = 0u; a < 4u; a++) {
      let r = r0 + lid.x + 16u * a;
      if (r < params.rows) { out[params.out_offset + t * params.out_stride + params.col0 + r] = acc[b][a]; }
    }
  }
}
