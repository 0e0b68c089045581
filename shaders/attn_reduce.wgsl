// attn_reduce.wgsl: decode attention, second pass: combines the splits of attn_split.wgsl.
// With M = max over splits of m_s and w_s = exp(m_s - M):
//   out[t][h][d] = sum_s w_s acc_s[d] / sum_s w_s l_s
// Why a second pass: splits run in parallel and cannot see each other's maxima; the combination
// is exact (the rescaling of the online softmax), and reads only splits x (HEAD_DIM + 2) floats.
// Threads: one workgroup of 64 per (head, token), each thread a strided slice of head dims.
// HEAD_DIM is a define (const u32).

struct Params {
  tokens: u32,      // query tokens
  heads: u32,       // query heads
  splits: u32,      // splits per (token, head)
  out_offset: u32,  // element offset of token 0 in out
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> partials: array<f32>; // [tokens][heads][splits][HEAD_DIM + 2]: acc, m, l
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [tokens][heads][HEAD_DIM]

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let h = wid.x;
  let t = wid.y;
  let row = (t * params.heads + h) * params.splits;
  var top = -3.0e38;
  for (var s = 0u; s < params.splits; s++) { top = max(top, partials[(row + s) * (HEAD_DIM + 2u) + HEAD_DIM]); }
  var total = 0.0;
  for (var s = 0u; s < params.splits; s++) {
    let at = (row + s) * (HEAD_DIM + 2u);
    total += exp(partials[at + HEAD_DIM] - top) * partials[at + HEAD_DIM + 1u];
  }
  let o = params.out_offset + (t * params.heads + h) * HEAD_DIM;
  for (var d = li; d < HEAD_DIM; d += 64u) {
    var acc = 0.0;
    for (var s = 0u; s < params.splits; s++) {
      let at = (row + s) * (HEAD_DIM + 2u);
      acc += exp(partials[at + HEAD_DIM] - top) * partials[at + d];
    }
    out[o + d] = acc / total;
  }
}
