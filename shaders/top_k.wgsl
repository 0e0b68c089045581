// top_k.wgsl: the k largest logits of a row and their token ids, largest first (k = 1: argmax).
// Ties go to the lower token id, as a CPU argmax that keeps the first maximum.
// Why on the GPU: greedy and top-k sampling need k (id, logit) pairs, not the vocabulary; reading
// back 8k bytes instead of 4 x vocab saves the largest transfer of a decode step.
// Threads: one workgroup of 256 per row. Each thread scans the ids li, li + 256, ... keeping its
// own k best in a sorted private list; then k rounds merge the 256 lists: each round a tree
// reduction in workgroup memory picks the best head of all lists, and its owner pops it.

const WG = 256u;
const K_MAX = 64u;

struct Params {
  n: u32,          // vocabulary (row length)
  k: u32,          // results wanted, 1..K_MAX
  in_offset: u32,  // element offset of the row in logits
  out_offset: u32, // word offset of the results in out
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;     // [rows][n]
@group(0) @binding(2) var<storage, read_write> out: array<u32>;  // [rows][k][2]: id, logit bits

var<workgroup> best_value: array<f32, WG>;
var<workgroup> best_id: array<u32, WG>;

/** True when (v, i) ranks before (w, j). */
fn before(v: f32, i: u32, w: f32, j: u32) -> bool {
  return v > w || (v == w && i < j);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let row = wid.x;
  let base = params.in_offset + row * params.n;
  let k = min(params.k, K_MAX);
  var values: array<f32, K_MAX>;
  var ids: array<u32, K_MAX>;
  var count = 0u;
  for (var i = li; i < params.n; i += WG) {
    let v = logits[base + i];
    if (count == k && !(v > values[k - 1u])) { continue; } // ids rise, so a tie keeps the earlier
    var at = min(count, k - 1u);
    while (at > 0u && v > values[at - 1u]) {
      values[at] = values[at - 1u];
      ids[at] = ids[at - 1u];
      at--;
    }
    values[at] = v;
    ids[at] = i;
    count = min(count + 1u, k);
  }
  var head = 0u;
  for (var round = 0u; round < k; round++) {
    best_value[li] = select(-3.4e38, values[min(head, K_MAX - 1u)], head < count);
    best_id[li] = select(0xffffffffu, ids[min(head, K_MAX - 1u)], head < count);
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
      if (li < s && before(best_value[li + s], best_id[li + s], best_value[li], best_id[li])) {
        best_value[li] = best_value[li + s];
        best_id[li] = best_id[li + s];
      }
      workgroupBarrier();
    }
    let id = best_id[0];
    if (li == 0u) {
      out[params.out_offset + (row * params.k + round) * 2u] = id;
      out[params.out_offset + (row * params.k + round) * 2u + 1u] = bitcast<u32>(best_value[0]);
    }
    if (head < count && ids[head] == id) { head++; }
    workgroupBarrier();
  }
}
