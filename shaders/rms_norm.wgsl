// rms_norm.wgsl: RMSNorm, optionally fused with the residual add before it (ADD define).
//   plain: out[t] = x[t] / sqrt(mean(x[t]^2) + eps) * w
//   ADD:   x[t] += y[t]; then the same on the new x[t] (x is written back: it is the residual)
// Why fused: a Llama block ends with x += projection and the next block starts with norm(x); one
// pass reads x and y once instead of reading x twice and writing it twice. Rounding as ggml's
// rms_norm then mul: (x * scale) * w, squares summed in a tree (f32; the CPU sums in f64).
// Threads: one workgroup of 256 per row; each thread strides over the row, then a tree
// reduction of the partial sums in workgroup memory.

struct Params {
  n: u32,          // row length
  rows: u32,       // rows (tokens)
  x_offset: u32,   // element offsets of row 0 in x, y and out
  y_offset: u32,
  out_offset: u32,
  eps: f32,        // RMSNorm epsilon
}

@group(0) @binding(0) var<uniform> params: Params;
#ifdef ADD
@group(0) @binding(1) var<storage, read> y: array<f32>;            // [rows][n] residual addend
@group(0) @binding(2) var<storage, read> norm_weight: array<f32>;  // [n]
@group(0) @binding(3) var<storage, read_write> x: array<f32>;      // [rows][n] residual, updated
@group(0) @binding(4) var<storage, read_write> out: array<f32>;    // [rows][n]
#else
@group(0) @binding(1) var<storage, read> x: array<f32>;            // [rows][n]
@group(0) @binding(2) var<storage, read> norm_weight: array<f32>;  // [n]
@group(0) @binding(3) var<storage, read_write> out: array<f32>;    // [rows][n]
#endif

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let row = wid.x;
  let xr = params.x_offset + row * params.n;
  var sum = 0.0;
  for (var i = li; i < params.n; i += 256u) {
#ifdef ADD
    let v = x[xr + i] + y[params.y_offset + row * params.n + i];
    x[xr + i] = v;
#else
    let v = x[xr + i];
#endif
    sum += v * v;
  }
  partial[li] = sum;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (li < s) { partial[li] += partial[li + s]; }
    workgroupBarrier();
  }
  let scale = 1.0 / sqrt(partial[0] / f32(params.n) + params.eps);
  let o = params.out_offset + row * params.n;
  for (var i = li; i < params.n; i += 256u) {
    out[o + i] = (x[xr + i] * scale) * norm_weight[i];
  }
}
