// quantize_act.wgsl: activations rounded to the dot-product format of a weight type, as
// llama.cpp's CPU matmul prepares them (vec_dot_type) and as the CPU backend does
// (core/engine/node/cpu/assembly/quantize.ts): q8_0 for q8_0/q4_0 weights (blocks of 32,
// d = amax / 127 rounded to f16, q = round(x * 127 / amax)), q8_K for q4_K/q6_K (blocks of 256,
// d = -max / 127 by the signed value of largest magnitude, q = min(127, round(x * -127 / max))),
// f16 or bf16 rounding for f16/bf16 weights. The result is stored dequantized (d * q as f32):
// then every matmul is an f32 product over dequantized weights, and its sum equals the CPU's
// integer block sums up to f32 rounding. Why: GPU and CPU then agree to ~1e-6, not to the 1e-2
// that separates quantized from unquantized activations.
// Threads: ROUND (with ROUND_F16 or ROUND_BF16) one thread per value; Q8_0 one thread per block of 32; Q8_K one workgroup of
// 256 per block (a max-magnitude reduction in workgroup memory).

#include "common.wgsl"

struct Params {
  n: u32,          // row length
  rows: u32,       // rows (tokens)
  in_offset: u32,  // element offset of row 0 in x
  out_offset: u32, // element offset of row 0 in out
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;         // [rows][n]
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [rows][n]

#ifdef ROUND
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = linear_group(wid, groups) * 256u + li;
  if (i >= params.n * params.rows) { return; }
#ifdef ROUND_F16
  out[params.out_offset + i] = round_f16(x[params.in_offset + i]);
#else
  out[params.out_offset + i] = round_bf16(x[params.in_offset + i]);
#endif
}
#endif

#ifdef Q8_0
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let block = linear_group(wid, groups) * 64u + li;
  if (block * 32u >= params.n * params.rows) { return; }
  let src = params.in_offset + block * 32u;
  var amax = 0.0;
  for (var j = 0u; j < 32u; j++) { amax = max(amax, abs(x[src + j])); }
  let inv = select(0.0, 127.0 / amax, amax != 0.0); // as ggml's x86 path (not 1 / d)
  let d = round_f16(amax / 127.0);
  let dst = params.out_offset + block * 32u;
  for (var j = 0u; j < 32u; j++) { out[dst + j] = d * round(x[src + j] * inv); }
}
#endif

#ifdef Q8_K
var<workgroup> best: array<vec2<u32>, 256>; // (|x| bits, index): largest magnitude, first index on ties

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let block = linear_group(wid, groups); // uniform: the whole workgroup returns or none
  if (block * 256u >= params.n * params.rows) { return; }
  let src = params.in_offset + block * 256u;
  let v = x[src + li];
  best[li] = vec2<u32>(bitcast<u32>(abs(v)), li);
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (li < s) {
      let a = best[li];
      let b = best[li + s];
      if (b.x > a.x || (b.x == a.x && b.y < a.y)) { best[li] = b; }
    }
    workgroupBarrier();
  }
  let top = workgroupUniformLoad(&best[0]);
  let dst = params.out_offset + block * 256u;
  if (top.x == 0u) { out[dst + li] = 0.0; return; }
  let iscale = -127.0 / x[src + top.y];
  out[dst + li] = (1.0 / iscale) * min(127.0, round(iscale * v));
}
#endif
