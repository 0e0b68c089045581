// gemv.wgsl: the matrix-vector product of decode. out[t][col0 + r] = sum_i W[r][i] * X[t][i] for
// each row r of one weight chunk and each of a few tokens t (grid z); W in its stored type, X in
// the type's dot-product format (quantize_act.wgsl).
// Why its own kernel: at one token the product is bound by reading W once; a tiled matmul would
// waste its tile on one token. So each weight word is loaded once, as wide as its layout allows
// (vec4<u32> of quants: a q8_0 block is two loads, a q4_0 block one, 64 q4_K weights two), and
// dequantized in registers.
// Threads: one workgroup of 64 per four output rows; the threads stride over the rows' units (4
// to 64 weights, by type), then reduce their four partial sums: subgroupAdd and one
// workgroup-memory step with SUBGROUPS, else a tree in workgroup memory. 2D grid past 65535.
#ifdef SUBGROUPS
enable subgroups;
#endif

#include "common.wgsl"

const WG = 64u;
const ROWS = 4u; // output rows per workgroup: one barrier and one activation read serve four rows

struct Params {
  n: u32,          // row length of W and X
  rows: u32,       // weight rows in this chunk
  tokens: u32,     // tokens (grid z)
  x_offset: u32,   // element offset of token 0 in x (a multiple of 4)
  out_offset: u32, // element offset of token 0 in out
  out_stride: u32, // elements per token in out
  col0: u32,       // column of out that chunk row 0 lands in
  nb: u32,         // quantized blocks in this chunk
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> weights: array<u32>;        // W chunk, stored type
@group(0) @binding(2) var<storage, read> weights4: array<vec4<u32>>; // the same buffer, 16 bytes a load
@group(0) @binding(3) var<storage, read> x: array<vec4<f32>>;        // [tokens][n / 4]
@group(0) @binding(4) var<storage, read_write> out: array<f32>;      // [tokens][out_stride]

#include "dequant.wgsl"

#include "gemv_units.wgsl"

var<workgroup> partial: array<f32, ROWS * WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) li: u32
#ifdef SUBGROUPS
  , @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) lanes: u32
#endif
) {
  let r0 = linear_group(wid, groups) * ROWS; // uniform across the workgroup
  let t = wid.z;
  if (r0 >= params.rows) { return; }
  let xb = (params.x_offset + t * params.n) / 4u;
  var acc: array<f32, ROWS>;
  for (var u = li; u < params.n / UNIT; u += WG) {
    for (var j = 0u; j < ROWS; j++) {
      if (r0 + j < params.rows) { acc[j] += unit_dot(r0 + j, u, xb); }
    }
  }
  let o = params.out_offset + t * params.out_stride + params.col0 + r0;
#ifdef SUBGROUPS
  let slots = WG / lanes; // subgroups in the workgroup (contiguous ranges of li)
  for (var j = 0u; j < ROWS; j++) {
    let s = subgroupAdd(acc[j]);
    if (lane == 0u) { partial[j * slots + li / lanes] = s; }
  }
  workgroupBarrier();
  if (li < ROWS && r0 + li < params.rows) {
    var total = 0.0;
    for (var i = 0u; i < slots; i++) { total += partial[li * slots + i]; }
    out[o + li] = total;
  }
#else
  for (var j = 0u; j < ROWS; j++) { partial[j * WG + li] = acc[j]; }
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) {
      for (var j = 0u; j < ROWS; j++) { partial[j * WG + li] += partial[j * WG + li + s]; }
    }
    workgroupBarrier();
  }
  if (li < ROWS && r0 + li < params.rows) { out[o + li] = partial[li * WG]; }
#endif
}
