// flash_attn.wgsl: causal attention of prefill with an online softmax (FlashAttention-2), over a
// list of key spans per query block. out[t][h] = sum_p softmax_p(scale * q[t][h] . k[p]) v[p] over
// the positions p of the block's spans with p <= pos0 + t; key/value head = h / group (GQA).
// Why spans: dense prefill passes one span [0, pos0 + last query] per block; a sparse prefill
// policy (a-shape, vertical-slash, block-sparse) only builds other spans, with the same kernel.
// Why online softmax: no scores matrix in memory; K and V are read once per query block.
// Threads: one workgroup per (query block of BQ tokens, query head); BQ x TD threads, TD per
// query. Per tile of BK keys: K and V go to workgroup memory (f16 widened); thread (q, part)
// scores keys part, part + TD, ...; then each thread updates the running max and sum of its
// query and its slice of head dims (d = part + TD j) of the output accumulator.
#include "common.wgsl"

// HEAD_DIM, BQ, BK are defines (const u32) chosen by the host for the head size.
const TD = 8u;                         // threads per query
const SLICE = (HEAD_DIM + TD - 1u) / TD; // head dims per thread

struct Params {
  tokens: u32,       // queries in the batch
  pos0: u32,         // position of query 0
  heads: u32,        // query heads
  group: u32,        // query heads per key/value head
  capacity: u32,     // positions per head in the cache
  q_offset: u32,     // element offset of token 0 in q
  out_offset: u32,   // element offset of token 0 in out
  spans_offset: u32, // word offset in host_data: per block (first span, count), then spans (start, end)
  scale: f32,        // 1 / sqrt(head_dim)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;          // [tokens][heads][HEAD_DIM]
@group(0) @binding(2) var<storage, read> cache_k: array<u32>;    // [kv heads][capacity][HEAD_DIM], f16 pairs or f32
@group(0) @binding(3) var<storage, read> cache_v: array<u32>;
@group(0) @binding(4) var<storage, read> host_data: array<u32>;  // spans
@group(0) @binding(5) var<storage, read_write> out: array<f32>;  // [tokens][heads][HEAD_DIM]

var<workgroup> tile_q: array<f32, BQ * HEAD_DIM>;
var<workgroup> tile_k: array<f32, BK * HEAD_DIM>;
var<workgroup> tile_v: array<f32, BK * HEAD_DIM>;
var<workgroup> scores: array<f32, BQ * BK>;

#include "kv_cache.wgsl"

@compute @workgroup_size(BQ * TD)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let block = wid.x;
  let h = wid.y;
  let kv_base = (h / params.group) * params.capacity * HEAD_DIM;
  let qi = li / TD;
  let part = li % TD;
  let t = block * BQ + qi;              // this thread's query token (may be past the batch)
  let qpos = params.pos0 + t;
  for (var i = li; i < BQ * HEAD_DIM; i += BQ * TD) {
    let tq = block * BQ + i / HEAD_DIM;
    tile_q[i] = select(0.0, q[params.q_offset + (tq * params.heads + h) * HEAD_DIM + i % HEAD_DIM], tq < params.tokens);
  }
  var m = -3.0e38;
  var l = 0.0;
  var acc: array<f32, SLICE>;
  let first = host_data[params.spans_offset + 2u * block];
  let count = host_data[params.spans_offset + 2u * block + 1u];
  for (var sp = 0u; sp < count; sp++) {
    let at = params.spans_offset + 2u * (first + sp);
    let start = host_data[at];
    let end = host_data[at + 1u];
    for (var k0 = start; k0 < end; k0 += BK) {
      workgroupBarrier(); // the previous tile is consumed
      for (var i = li; i < BK * HEAD_DIM; i += BQ * TD) {
        let p = k0 + i / HEAD_DIM;
        let e = kv_base + p * HEAD_DIM + i % HEAD_DIM;
        tile_k[i] = select(0.0, key_at(e), p < end);
        tile_v[i] = select(0.0, value_at(e), p < end);
      }
      workgroupBarrier();
      for (var kk = part; kk < BK; kk += TD) {
        var s = 0.0;
        for (var d = 0u; d < HEAD_DIM; d++) { s += tile_q[qi * HEAD_DIM + d] * tile_k[kk * HEAD_DIM + d]; }
        let p = k0 + kk;
        scores[qi * BK + kk] = select(-3.4e38, s * params.scale, p < end && p <= qpos);
      }
      workgroupBarrier();
      var m_new = m;
      for (var kk = 0u; kk < BK; kk++) { m_new = max(m_new, scores[qi * BK + kk]); }
      let correction = exp(m - m_new);
      l *= correction;
      for (var j = 0u; j < SLICE; j++) { acc[j] *= correction; }
      for (var kk = 0u; kk < BK; kk++) {
        let s = scores[qi * BK + kk];
        let w = select(0.0, exp(s - m_new), s > -3.0e38);
        l += w;
        for (var j = 0u; j < SLICE; j++) {
          let d = part + TD * j;
          if (d < HEAD_DIM) { acc[j] += w * tile_v[kk * HEAD_DIM + d]; }
        }
      }
      m = m_new;
    }
  }
  if (t >= params.tokens) { return; }
  let o = params.out_offset + (t * params.heads + h) * HEAD_DIM;
  for (var j = 0u; j < SLICE; j++) {
    let d = part + TD * j;
    if (d < HEAD_DIM) { out[o + d] = acc[j] / l; }
  }
}
