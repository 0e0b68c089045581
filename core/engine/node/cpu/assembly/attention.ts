// Causal attention over the KV cache. Keys and values of each (layer, KV head) live in their own
// buffer of `capacity` positions x headDim, in f16 or f32 (`kvF16`); `heads` points at the
// layer's table of buffer addresses. One work item is one KV head with all the query heads that
// share it (GQA group) and a block of up to eight consecutive query tokens: every key and value
// row is widened to f32 once for group x 8 queries, which meet it four at a time; then scores,
// softmax (vectorized exp), weighted sum of values. Items are dealt to threads round-robin
// (first, step), which balances the causal triangle. Each thread passes its own `scores` scratch
// (attentionScratchBytes: group x 8 rows of scores plus four widened rows). Each query's
// arithmetic is the same whatever the block, so the block sizes do not change results.

import { f16ToF32, f16x4ToF32x4, f32ToF16 } from './half';
import { expF32x4 } from './expf';
import { hsum } from './lanes';

const QUERY_BLOCK = 8;
/** Queries that meet one key or value row in scoreKey / addValue. */
const SUB_BLOCK = 4;

/**
 * Bytes of one thread's `scores` scratch for GQA groups of `group` query heads, a cache of
 * `capacity` positions and heads of `headDim`: group x QUERY_BLOCK rows of capacity scores, then
 * four widened key or value rows.
 */
export function attentionScratchBytes(group: i32, capacity: i32, headDim: i32): i32 {
  return (group * QUERY_BLOCK * capacity + 4 * headDim) << 2;
}

/** Writes k and v ([nTok][nKvHeads][headDim] f32) of positions pos0.. into the cache buffers. */
export function storeKv(k: usize, v: usize, nTok: i32, pos0: i32, nKvHeads: i32, headDim: i32, kHeads: usize, vHeads: usize, kvF16: bool): void {
  for (let t = 0; t < nTok; t++) {
    for (let h = 0; h < nKvHeads; h++) {
      const src = <usize>((t * nKvHeads + h) * headDim) << 2;
      const slot = <usize>((pos0 + t) * headDim);
      const kd = <usize>load<u32>(kHeads + (<usize>h << 2)), vd = <usize>load<u32>(vHeads + (<usize>h << 2));
      for (let d = 0; d < headDim; d++) {
        const ks = load<f32>(k + src + (<usize>d << 2)), vs = load<f32>(v + src + (<usize>d << 2));
        if (kvF16) {
          store<u16>(kd + ((slot + d) << 1), <u16>f32ToF16(ks));
          store<u16>(vd + ((slot + d) << 1), <u16>f32ToF16(vs));
        } else {
          store<f32>(kd + ((slot + d) << 2), ks);
          store<f32>(vd + ((slot + d) << 2), vs);
        }
      }
    }
  }
}

/** Four lanes of a key or value row at element d, widened to f32. */
// @ts-ignore: decorator
@inline function kvLoad4(row: usize, d: i32, kvF16: bool): v128 {
  return kvF16 ? f16x4ToF32x4(i32x4.extend_low_i16x8_u(v128.load64_zero(row + (<usize>d << 1)))) : v128.load(row + (<usize>d << 2));
}

// @ts-ignore: decorator
@inline function kvLoad1(row: usize, d: i32, kvF16: bool): f32 {
  return kvF16 ? f16ToF32(load<u16>(row + (<usize>d << 1))) : load<f32>(row + (<usize>d << 2));
}

/** Widens one f16 row of headDim values into f32 at `out`. */
function widenRow(row: usize, headDim: i32, out: usize): void {
  let d = 0;
  for (; d + 4 <= headDim; d += 4) v128.store(out + (<usize>d << 2), kvLoad4(row, d, true));
  for (; d < headDim; d++) store<f32>(out + (<usize>d << 2), kvLoad1(row, d, true));
}

/** scores[i][p] = scale * q_i . key for the `count` queries (rows of headDim at q, stride qStride). */
// @ts-ignore: decorator
@inline function scoreKey(q: usize, qStride: usize, count: i32, key: usize, headDim: i32, kvF16: bool, scale: f32, scores: usize, stride: usize, p: i32): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let d = 0;
  for (; d + 4 <= headDim; d += 4) {
    const k = kvLoad4(key, d, kvF16);
    const o = <usize>d << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(q + o), k));
    if (count > 1) a1 = f32x4.add(a1, f32x4.mul(v128.load(q + qStride + o), k));
    if (count > 2) a2 = f32x4.add(a2, f32x4.mul(v128.load(q + 2 * qStride + o), k));
    if (count > 3) a3 = f32x4.add(a3, f32x4.mul(v128.load(q + 3 * qStride + o), k));
  }
  let s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
  for (; d < headDim; d++) {
    const k = kvLoad1(key, d, kvF16), o = <usize>d << 2;
    s0 += load<f32>(q + o) * k;
    if (count > 1) s1 += load<f32>(q + qStride + o) * k;
    if (count > 2) s2 += load<f32>(q + 2 * qStride + o) * k;
    if (count > 3) s3 += load<f32>(q + 3 * qStride + o) * k;
  }
  const at = scores + (<usize>p << 2);
  store<f32>(at, s0 * scale);
  if (count > 1) store<f32>(at + stride, s1 * scale);
  if (count > 2) store<f32>(at + 2 * stride, s2 * scale);
  if (count > 3) store<f32>(at + 3 * stride, s3 * scale);
}

/**
 * scoreKey for two keys (rows at key and key + keyStride, positions p and p + 1) and headDim a
 * multiple of 4: each query row is loaded once for both; every score is summed as in scoreKey.
 * Queries go two at a time; a last odd one (every decode step's only query) alone, in scoreOne2,
 * with the same sums: results do not depend on the query count.
 */
function scoreKeys2(q: usize, qStride: usize, count: i32, key: usize, keyStride: usize, headDim: i32, scale: f32, scores: usize, stride: usize, p: i32): void {
  let i = 0;
  for (; i + 2 <= count; i += 2) {
    const q0 = q + <usize>i * qStride, q1 = q0 + qStride;
    let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00;
    for (let d = 0; d < headDim; d += 4) {
      const o = <usize>d << 2;
      const k0 = v128.load(key + o), k1 = v128.load(key + keyStride + o);
      const x0 = v128.load(q0 + o), x1 = v128.load(q1 + o);
      a00 = f32x4.add(a00, f32x4.mul(x0, k0));
      a01 = f32x4.add(a01, f32x4.mul(x0, k1));
      a10 = f32x4.add(a10, f32x4.mul(x1, k0));
      a11 = f32x4.add(a11, f32x4.mul(x1, k1));
    }
    const at = scores + <usize>i * stride + (<usize>p << 2);
    store<f32>(at, hsum(a00) * scale);
    store<f32>(at, hsum(a01) * scale, 4);
    store<f32>(at + stride, hsum(a10) * scale);
    store<f32>(at + stride, hsum(a11) * scale, 4);
  }
  if (i < count) scoreOne2(q + <usize>i * qStride, key, keyStride, headDim, scale, scores + <usize>i * stride + (<usize>p << 2));
}

/** One query's scores of two keys (scoreKeys2) at `at` and at + 4. */
// @ts-ignore: decorator
@inline function scoreOne2(q: usize, key: usize, keyStride: usize, headDim: i32, scale: f32, at: usize): void {
  let a0 = f32x4.splat(0), a1 = a0;
  for (let d = 0; d < headDim; d += 4) {
    const o = <usize>d << 2;
    const x = v128.load(q + o);
    a0 = f32x4.add(a0, f32x4.mul(x, v128.load(key + o)));
    a1 = f32x4.add(a1, f32x4.mul(x, v128.load(key + keyStride + o)));
  }
  store<f32>(at, hsum(a0) * scale);
  store<f32>(at, hsum(a1) * scale, 4);
}

/** The address of `n` key or value rows from position p as f32 (widened into `wide` from f16). */
// @ts-ignore: decorator
@inline function rowsF32(rows: usize, p: i32, n: i32, rowBytes: usize, headDim: i32, kvF16: bool, wide: usize): usize {
  const first = rows + <usize>p * rowBytes;
  if (!kvF16) return first;
  for (let k = 0; k < n; k++) widenRow(first + <usize>k * rowBytes, headDim, wide + <usize>k * (<usize>headDim << 2));
  return wide;
}

/** Replaces n scores by exp(score - max) / sum, in place. */
function softmaxInPlace(scores: usize, n: i32): void {
  let m = f32x4.splat(-Infinity);
  let p = 0;
  for (; p + 4 <= n; p += 4) m = f32x4.max(m, v128.load(scores + (<usize>p << 2)));
  let max = Mathf.max(Mathf.max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), Mathf.max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; p < n; p++) max = Mathf.max(max, load<f32>(scores + (<usize>p << 2)));
  const mv = f32x4.splat(max);
  let sum = f32x4.splat(0);
  p = 0;
  for (; p + 4 <= n; p += 4) {
    const at = scores + (<usize>p << 2);
    const e = expF32x4(f32x4.sub(v128.load(at), mv));
    v128.store(at, e);
    sum = f32x4.add(sum, e);
  }
  let total = <f64>hsum(sum);
  for (; p < n; p++) {
    const at = scores + (<usize>p << 2);
    const e = f32x4.extract_lane(expF32x4(f32x4.splat(load<f32>(at) - max)), 0);
    store<f32>(at, e);
    total += <f64>e;
  }
  const inv = f32x4.splat(<f32>(1.0 / total));
  p = 0;
  for (; p + 4 <= n; p += 4) v128.store(scores + (<usize>p << 2), f32x4.mul(v128.load(scores + (<usize>p << 2)), inv));
  for (; p < n; p++) store<f32>(scores + (<usize>p << 2), load<f32>(scores + (<usize>p << 2)) * f32x4.extract_lane(inv, 0));
}

/** out_i += w_i[p] * value for the queries i < count (out rows of headDim, stride outStride). */
// @ts-ignore: decorator
@inline function addValue(out: usize, outStride: usize, count: i32, value: usize, headDim: i32, kvF16: bool, scores: usize, stride: usize, p: i32): void {
  const at = scores + (<usize>p << 2);
  const w0 = f32x4.splat(load<f32>(at));
  const w1 = f32x4.splat(count > 1 ? load<f32>(at + stride) : 0);
  const w2 = f32x4.splat(count > 2 ? load<f32>(at + 2 * stride) : 0);
  const w3 = f32x4.splat(count > 3 ? load<f32>(at + 3 * stride) : 0);
  let d = 0;
  for (; d + 4 <= headDim; d += 4) {
    const v = kvLoad4(value, d, kvF16);
    const o = out + (<usize>d << 2);
    v128.store(o, f32x4.add(v128.load(o), f32x4.mul(w0, v)));
    if (count > 1) v128.store(o + outStride, f32x4.add(v128.load(o + outStride), f32x4.mul(w1, v)));
    if (count > 2) v128.store(o + 2 * outStride, f32x4.add(v128.load(o + 2 * outStride), f32x4.mul(w2, v)));
    if (count > 3) v128.store(o + 3 * outStride, f32x4.add(v128.load(o + 3 * outStride), f32x4.mul(w3, v)));
  }
  for (; d < headDim; d++) {
    const v = kvLoad1(value, d, kvF16);
    for (let i = 0; i < count; i++) {
      const o = out + <usize>i * outStride + (<usize>d << 2);
      store<f32>(o, load<f32>(o) + load<f32>(at + <usize>i * stride) * v);
    }
  }
}

/**
 * out_i += w_i[p] * v_0 + ... + w_i[p + 3] * v_3 for the queries i < count, added in that order
 * (as four calls of addValue) but each out element loaded and stored once; v_k at v + k * vStride.
 * Queries go two at a time, sharing the loads of the four value rows.
 */
function addValue4(out: usize, outStride: usize, count: i32, v: usize, vStride: usize, headDim: i32, scores: usize, stride: usize, p: i32): void {
  for (let i = 0; i < count; i += 2) {
    const two = i + 1 < count;
    const o0 = out + <usize>i * outStride, o1 = o0 + outStride;
    const a0 = scores + <usize>i * stride + (<usize>p << 2), a1 = a0 + (two ? stride : 0);
    const w00 = f32x4.splat(load<f32>(a0)), w01 = f32x4.splat(load<f32>(a0, 4)), w02 = f32x4.splat(load<f32>(a0, 8)), w03 = f32x4.splat(load<f32>(a0, 12));
    const w10 = f32x4.splat(load<f32>(a1)), w11 = f32x4.splat(load<f32>(a1, 4)), w12 = f32x4.splat(load<f32>(a1, 8)), w13 = f32x4.splat(load<f32>(a1, 12));
    for (let d = 0; d < headDim; d += 4) {
      const vd = v + (<usize>d << 2);
      const v0 = v128.load(vd), v1 = v128.load(vd + vStride), v2 = v128.load(vd + 2 * vStride), v3 = v128.load(vd + 3 * vStride);
      const od0 = o0 + (<usize>d << 2);
      v128.store(od0, f32x4.add(f32x4.add(f32x4.add(f32x4.add(v128.load(od0), f32x4.mul(w00, v0)), f32x4.mul(w01, v1)), f32x4.mul(w02, v2)), f32x4.mul(w03, v3)));
      if (two) {
        const od1 = o1 + (<usize>d << 2);
        v128.store(od1, f32x4.add(f32x4.add(f32x4.add(f32x4.add(v128.load(od1), f32x4.mul(w10, v0)), f32x4.mul(w11, v1)), f32x4.mul(w12, v2)), f32x4.mul(w13, v3)));
      }
    }
  }
}

/**
 * Attention for the items first, first + step, ... of nKvHeads x ceil(nTok / 8) (item = block *
 * nKvHeads + kvHead); q and out are [nTok][nHeads][headDim].
 */
export function attention(
  q: usize, out: usize, nTok: i32, pos0: i32, nHeads: i32, nKvHeads: i32, headDim: i32,
  kHeads: usize, vHeads: usize, kvF16: bool, scale: f32, scores: usize, first: i32, step: i32,
): void {
  const group = nHeads / nKvHeads;
  const rowBytes = <usize>headDim * (kvF16 ? 2 : 4);
  const stride = <usize>(pos0 + nTok) << 2; // one query's scores
  const qStride = <usize>(nHeads * headDim) << 2;
  const headBytes = <usize>headDim << 2;
  const wide = scores + <usize>(group * QUERY_BLOCK) * stride; // widened key or value rows (up to four)
  const blocks = (nTok + QUERY_BLOCK - 1) / QUERY_BLOCK;
  for (let item = first; item < blocks * nKvHeads; item += step) {
    const t0 = (item / nKvHeads) * QUERY_BLOCK, kv = item % nKvHeads;
    const count = min(QUERY_BLOCK, nTok - t0);
    const keys = <usize>load<u32>(kHeads + (<usize>kv << 2)), values = <usize>load<u32>(vHeads + (<usize>kv << 2));
    const qb = q + <usize>t0 * qStride + <usize>(kv * group) * headBytes; // first query head of the group
    const ob = out + <usize>t0 * qStride + <usize>(kv * group) * headBytes;
    const firstPos = pos0 + t0; // query i of the block sees keys 0..firstPos + i
    const lastPos = firstPos + count - 1;
    const rowStride = kvF16 ? headBytes : rowBytes; // of rowsF32's rows
    let p = 0;
    // positions every query of the block sees, two at a time (headDim a multiple of 4)
    for (; (headDim & 3) == 0 && p + 2 <= firstPos + 1; p += 2) {
      const key = rowsF32(keys, p, 2, rowBytes, headDim, kvF16, wide);
      for (let g = 0; g < group; g++) {
        scoreKeys2(qb + <usize>g * headBytes, qStride, count, key, rowStride, headDim, scale, scores + <usize>(g * QUERY_BLOCK) * stride, stride, p);
      }
    }
    for (; p <= lastPos; p++) {
      let key = keys + <usize>p * rowBytes;
      if (kvF16) {
        widenRow(key, headDim, wide);
        key = wide;
      }
      // queries from..: those of sub-block s that see p (query i sees keys 0..firstPos + i)
      for (let s = 0; s < count; s += SUB_BLOCK) {
        const from = max(s, p - firstPos), seeing = min(s + SUB_BLOCK, count) - from;
        if (seeing <= 0) continue;
        for (let g = 0; g < group; g++) {
          const qg = qb + <usize>g * headBytes + <usize>from * qStride;
          scoreKey(qg, qStride, seeing, key, headDim, false, scale, scores + <usize>(g * QUERY_BLOCK + from) * stride, stride, p);
        }
      }
    }
    for (let g = 0; g < group; g++) {
      for (let i = 0; i < count; i++) {
        softmaxInPlace(scores + <usize>(g * QUERY_BLOCK + i) * stride, firstPos + i + 1);
        memory.fill(ob + <usize>g * headBytes + <usize>i * qStride, 0, headBytes);
      }
    }
    p = 0;
    // positions every query of the block sees, four at a time (headDim a multiple of 4)
    for (; (headDim & 3) == 0 && p + 4 <= firstPos + 1; p += 4) {
      const v = rowsF32(values, p, 4, rowBytes, headDim, kvF16, wide);
      for (let g = 0; g < group; g++) {
        for (let s = 0; s < count; s += SUB_BLOCK) {
          const og = ob + <usize>g * headBytes + <usize>s * qStride;
          addValue4(og, qStride, min(SUB_BLOCK, count - s), v, rowStride, headDim, scores + <usize>(g * QUERY_BLOCK + s) * stride, stride, p);
        }
      }
    }
    for (; p <= lastPos; p++) {
      let value = values + <usize>p * rowBytes;
      if (kvF16) {
        widenRow(value, headDim, wide);
        value = wide;
      }
      for (let s = 0; s < count; s += SUB_BLOCK) {
        const from = max(s, p - firstPos), seeing = min(s + SUB_BLOCK, count) - from;
        if (seeing <= 0) continue;
        for (let g = 0; g < group; g++) {
          const og = ob + <usize>g * headBytes + <usize>from * qStride;
          addValue(og, qStride, seeing, value, headDim, false, scores + <usize>(g * QUERY_BLOCK + from) * stride, stride, p);
        }
      }
    }
  }
}
