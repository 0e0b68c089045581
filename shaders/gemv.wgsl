// gemv.wgsl: the matrix-vector product of decode. out[t][col0 + r] = sum_i W[r][i] * X[t][i] for
// each row r of one weight chunk and each of a few tokens t (grid z); W in its stored type, X in
// the type's dot-product format (quantize_act.wgsl).
// Why its own kernel: at one token the product is bound by reading W once; a tiled matmul would
// waste its tile on one token. So each weight word is loaded once, as wide as its layout allows
// (vec4<u32> of quants: a q8_0 block is two loads, a q4_0 block one, 64 q4_K weights two), and
// dequantized in registers.
// Threads: one workgroup of 64 per output row; the threads stride over the row's units (4 to 64
// weights, by type), then reduce their partial sums: subgroupAdd and one workgroup-memory step
// with SUBGROUPS, else a tree in workgroup memory. The rows are spread over a 2D grid.
#ifdef SUBGROUPS
enable subgroups;
#endif

#include "common.wgsl"

const WG = 64u;

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

// UNIT: weights per step of a thread; unit_dot(r, u, xb): the dot of unit u of row r with x at
// vec4 index xb (row start).
#ifdef TYPE_F32
const UNIT = 4u;
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  return dot(bitcast<vec4<f32>>(weights4[(r * params.n) / 4u + u]), x[xb + u]);
}
#endif
#ifdef TYPE_F16
const UNIT = 8u;
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let w = weights4[(r * params.n) / 8u + u];
  return dot(vec4<f32>(f16x2_to_f32(w.x), f16x2_to_f32(w.y)), x[xb + 2u * u]) + dot(vec4<f32>(f16x2_to_f32(w.z), f16x2_to_f32(w.w)), x[xb + 2u * u + 1u]);
}
#endif
#ifdef TYPE_BF16
const UNIT = 8u;
fn bf16x2(w: u32) -> vec2<f32> { return vec2<f32>(bitcast<f32>(w << 16u), bitcast<f32>(w & 0xffff0000u)); }
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let w = weights4[(r * params.n) / 8u + u];
  return dot(vec4<f32>(bf16x2(w.x), bf16x2(w.y)), x[xb + 2u * u]) + dot(vec4<f32>(bf16x2(w.z), bf16x2(w.w)), x[xb + 2u * u + 1u]);
}
#endif
#ifdef TYPE_Q8_0
const UNIT = 32u;
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let b = r * (params.n / 32u) + u;
  let q0 = weights4[2u * b];
  let q1 = weights4[2u * b + 1u];
  let xs = xb + 8u * u;
  let s = dot(i8x4(q0.x), x[xs]) + dot(i8x4(q0.y), x[xs + 1u]) + dot(i8x4(q0.z), x[xs + 2u]) + dot(i8x4(q0.w), x[xs + 3u])
        + dot(i8x4(q1.x), x[xs + 4u]) + dot(i8x4(q1.y), x[xs + 5u]) + dot(i8x4(q1.z), x[xs + 6u]) + dot(i8x4(q1.w), x[xs + 7u]);
  return block_scale(params.nb * 8u, b) * s;
}
#endif
#ifdef TYPE_Q4_0
const UNIT = 32u;
fn nib(w: u32, shift: u32) -> vec4<f32> { return u8x4((w >> shift) & 0x0f0f0f0fu) - vec4<f32>(8.0); }
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let b = r * (params.n / 32u) + u;
  let q = weights4[b];
  let xs = xb + 8u * u;
  let s = dot(nib(q.x, 0u), x[xs]) + dot(nib(q.y, 0u), x[xs + 1u]) + dot(nib(q.z, 0u), x[xs + 2u]) + dot(nib(q.w, 0u), x[xs + 3u])
        + dot(nib(q.x, 4u), x[xs + 4u]) + dot(nib(q.y, 4u), x[xs + 5u]) + dot(nib(q.z, 4u), x[xs + 6u]) + dot(nib(q.w, 4u), x[xs + 7u]);
  return block_scale(params.nb * 4u, b) * s;
}
#endif
#ifdef TYPE_Q4_K
const UNIT = 64u; // sub-blocks 2j (low nibbles) and 2j + 1 (high nibbles) of the same 32 bytes
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let b = r * (params.n / 256u) + u / 4u;
  let j = u % 4u;
  let q0 = weights4[b * 9u + 1u + 2u * j];
  let q1 = weights4[b * 9u + 2u + 2u * j];
  let xs = xb + 16u * u;
  var lo = 0.0;
  var hi = 0.0;
  for (var k = 0u; k < 4u; k++) {
    lo += dot(u8x4(q0[k] & 0x0f0f0f0fu), x[xs + k]) + dot(u8x4(q1[k] & 0x0f0f0f0fu), x[xs + 4u + k]);
    hi += dot(u8x4((q0[k] >> 4u) & 0x0f0f0f0fu), x[xs + 8u + k]) + dot(u8x4((q1[k] >> 4u) & 0x0f0f0f0fu), x[xs + 12u + k]);
  }
  var xsum = vec4<f32>(0.0); // sums of x over each sub-block, for the mins
  for (var k = 0u; k < 8u; k++) { xsum += x[xs + k]; }
  var xsum_hi = vec4<f32>(0.0);
  for (var k = 8u; k < 16u; k++) { xsum_hi += x[xs + k]; }
  let base = b * 36u;
  let dm = f16x2_to_f32(weights[base]);
  let a = q4k_scale_min(base, 2u * j);
  let c = q4k_scale_min(base, 2u * j + 1u);
  let ones = vec4<f32>(1.0);
  return (dm.x * a.x) * lo - (dm.y * a.y) * dot(xsum, ones) + (dm.x * c.x) * hi - (dm.y * c.y) * dot(xsum_hi, ones);
}
#endif
#ifdef TYPE_Q6_K
const UNIT = 32u;
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let e = r * params.n + u * 32u;
  var s = 0.0;
  for (var k = 0u; k < 8u; k++) { s += dot(weight4(e + 4u * k, params.nb), x[xb + 8u * u + k]); }
  return s;
}
#endif

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) li: u32
#ifdef SUBGROUPS
  , @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) lanes: u32
#endif
) {
  let r = linear_group(wid, groups); // uniform across the workgroup
  let t = wid.z;
  if (r >= params.rows) { return; }
  let xb = (params.x_offset + t * params.n) / 4u;
  var acc = 0.0;
  for (var u = li; u < params.n / UNIT; u += WG) { acc += unit_dot(r, u, xb); }
#ifdef SUBGROUPS
  let s = subgroupAdd(acc);
  if (lane == 0u) { partial[li / lanes] = s; }
  workgroupBarrier();
  if (li == 0u) {
    var total = 0.0;
    for (var i = 0u; i < WG / lanes; i++) { total += partial[i]; }
    out[params.out_offset + t * params.out_stride + params.col0 + r] = total;
  }
#else
  partial[li] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) { partial[li] += partial[li + s]; }
    workgroupBarrier();
  }
  if (li == 0u) { out[params.out_offset + t * params.out_stride + params.col0 + r] = partial[0]; }
#endif
}
