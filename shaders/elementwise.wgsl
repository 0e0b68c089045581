// elementwise.wgsl: the elementwise ops of a Llama block, one define each:
//   ADD       x[t][i] += y[t][i]          (residual add when no RMSNorm follows to fuse it into)
//   ADD_BIAS  x[t][i] += y[i]             (q/k/v projection biases of Qwen2)
//   SILU_MUL  x[t][i] = silu(x[t][i]) * y[t][i], silu(g) = g / (1 + exp(-g))   (SwiGLU)
// Why SILU_MUL is one kernel: gate and up are read once and the product written once, instead
// of a silu pass and a multiply pass over the FFN width. Memory-bound: 12 bytes per element.
// Threads: one thread per element, 256 per workgroup; the grid is 2D when it passes 65535 groups.

#include "common.wgsl"

struct Params {
  n: u32,        // row length
  rows: u32,     // rows (tokens)
  x_offset: u32, // element offset of row 0 in x
  y_offset: u32, // element offset of row 0 in y (of the bias for ADD_BIAS)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;         // [rows][n], or [n] for ADD_BIAS
@group(0) @binding(2) var<storage, read_write> x: array<f32>;   // [rows][n]

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = linear_group(wid, groups) * 256u + li;
  if (i >= params.n * params.rows) { return; }
  let xi = params.x_offset + i;
#ifdef ADD
  x[xi] = x[xi] + y[params.y_offset + i];
#endif
#ifdef ADD_BIAS
  x[xi] = x[xi] + y[params.y_offset + i % params.n];
#endif
#ifdef SILU_MUL
  let g = x[xi];
  x[xi] = (g / (1.0 + exp(-g))) * y[params.y_offset + i];
#endif
}
