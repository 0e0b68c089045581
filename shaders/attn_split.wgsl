// attn_split.wgsl: decode attention, split over the keys (flash-decoding), first pass. For each
// query token t, query head h and split s of SPLIT consecutive key positions below
// pos0 + t + 1: m = max score, l = sum exp(score - m), acc = sum exp(score - m) v, written to a
// scratch row; attn_reduce.wgsl combines the splits. score = scale * q[t][h] . k[p]; key/value
// head = h / group (GQA).
// Why split: at one query token a workgroup per head would leave most of the GPU idle on a long
// context; splits give heads x ceil(len / SPLIT) workgroups that each read a slice of K and V.
// Threads: one workgroup of 64 per (split, head, token): each thread scores keys li, li + 64, ...
// (a whole dot product each), max and sum are tree reductions in workgroup memory, then each
// thread accumulates the head dims li, li + 64, ... over the split's keys.
#include "common.wgsl"

const WG = 64u;
// HEAD_DIM, SPLIT are defines (const u32).

struct Params {
  tokens: u32,         // query tokens
  pos0: u32,           // position of query 0
  heads: u32,          // query heads
  group: u32,          // query heads per key/value head
  capacity: u32,       // positions per head in the cache
  q_offset: u32,       // element offset of token 0 in q
  splits: u32,         // splits per (token, head): ceil((pos0 + tokens) / SPLIT)
  scale: f32,          // 1 / sqrt(head_dim)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;             // [tokens][heads][HEAD_DIM]
@group(0) @binding(2) var<storage, read> cache_k: array<u32>;       // [kv heads][capacity][HEAD_DIM]
@group(0) @binding(3) var<storage, read> cache_v: array<u32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>; // [tokens][heads][splits][HEAD_DIM + 2]

#include "kv_cache.wgsl"

var<workgroup> query: array<f32, HEAD_DIM>;
var<workgroup> weights: array<f32, SPLIT>;
var<workgroup> reduce: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let split = wid.x;
  let h = wid.y;
  let t = wid.z;
  let len = params.pos0 + t + 1u; // keys this query sees
  let start = split * SPLIT;
  let end = min(start + SPLIT, len);
  let out = ((t * params.heads + h) * params.splits + split) * (HEAD_DIM + 2u);
  if (start >= len) { // nothing to see: an empty split
    if (li == 0u) { partials[out + HEAD_DIM] = -3.0e38; partials[out + HEAD_DIM + 1u] = 0.0; }
    return;
  }
  let kv_base = (h / params.group) * params.capacity * HEAD_DIM;
  let qb = params.q_offset + (t * params.heads + h) * HEAD_DIM;
  for (var d = li; d < HEAD_DIM; d += WG) { query[d] = q[qb + d]; }
  workgroupBarrier();
  var m = -3.0e38;
  for (var p = start + li; p < end; p += WG) {
    var s = 0.0;
    for (var d = 0u; d < HEAD_DIM; d++) { s += query[d] * key_at(kv_base + p * HEAD_DIM + d); }
    s *= params.scale;
    weights[p - start] = s;
    m = max(m, s);
  }
  reduce[li] = m;
  workgroupBarrier();
  for (var r = WG / 2u; r > 0u; r >>= 1u) {
    if (li < r) { reduce[li] = max(reduce[li], reduce[li + r]); }
    workgroupBarrier();
  }
  let top = reduce[0];
  workgroupBarrier();
  var l = 0.0;
  for (var p = start + li; p < end; p += WG) {
    let w = exp(weights[p - start] - top);
    weights[p - start] = w;
    l += w;
  }
  reduce[li] = l;
  workgroupBarrier();
  for (var r = WG / 2u; r > 0u; r >>= 1u) {
    if (li < r) { reduce[li] += reduce[li + r]; }
    workgroupBarrier();
  }
  for (var d = li; d < HEAD_DIM; d += WG) {
    var acc = 0.0;
    for (var p = start; p < end; p++) { acc += weights[p - start] * value_at(kv_base + p * HEAD_DIM + d); }
    partials[out + d] = acc;
  }
  if (li == 0u) { partials[out + HEAD_DIM] = top; partials[out + HEAD_DIM + 1u] = reduce[0]; }
}
