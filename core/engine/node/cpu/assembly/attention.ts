// Causal attention over the KV cache. Keys and values of each (layer, KV head) live in their own
// buffer of `capacity` positions x headDim, in f16 or f32 (`kvF16`); `heads` points at the
// layer's table of buffer addresses. One work item is one (query token, query head): scores over
// positions 0..pos, softmax (f64 sum, as ggml), weighted sum of values. The caller splits items
// between threads; each thread passes its own `scores` scratch of at least pos0 + nTok floats.

import { f16ToF32, f16x4ToF32x4, f32ToF16 } from './half';

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
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

/** q . k for one key row of headDim elements. */
// @ts-ignore: decorator
@inline function dotKey(q: usize, key: usize, headDim: i32, kvF16: bool): f32 {
  let acc = f32x4.splat(0);
  let d = 0;
  if (kvF16) {
    for (; d + 4 <= headDim; d += 4) {
      const wide = i32x4.extend_low_i16x8_u(v128.load64_zero(key + (<usize>d << 1)));
      acc = f32x4.add(acc, f32x4.mul(v128.load(q + (<usize>d << 2)), f16x4ToF32x4(wide)));
    }
    let s = hsum(acc);
    for (; d < headDim; d++) s += load<f32>(q + (<usize>d << 2)) * f16ToF32(load<u16>(key + (<usize>d << 1)));
    return s;
  }
  for (; d + 4 <= headDim; d += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(q + (<usize>d << 2)), v128.load(key + (<usize>d << 2))));
  let s = hsum(acc);
  for (; d < headDim; d++) s += load<f32>(q + (<usize>d << 2)) * load<f32>(key + (<usize>d << 2));
  return s;
}

/** out += p * value row. */
// @ts-ignore: decorator
@inline function addValue(out: usize, value: usize, p: f32, headDim: i32, kvF16: bool): void {
  let d = 0;
  const pv = f32x4.splat(p);
  if (kvF16) {
    for (; d + 4 <= headDim; d += 4) {
      const wide = i32x4.extend_low_i16x8_u(v128.load64_zero(value + (<usize>d << 1)));
      const o = out + (<usize>d << 2);
      v128.store(o, f32x4.add(v128.load(o), f32x4.mul(pv, f16x4ToF32x4(wide))));
    }
    for (; d < headDim; d++) store<f32>(out + (<usize>d << 2), load<f32>(out + (<usize>d << 2)) + p * f16ToF32(load<u16>(value + (<usize>d << 1))));
    return;
  }
  for (; d + 4 <= headDim; d += 4) {
    const o = out + (<usize>d << 2);
    v128.store(o, f32x4.add(v128.load(o), f32x4.mul(pv, v128.load(value + (<usize>d << 2)))));
  }
  for (; d < headDim; d++) store<f32>(out + (<usize>d << 2), load<f32>(out + (<usize>d << 2)) + p * load<f32>(value + (<usize>d << 2)));
}

/** Attention for work items [itemStart, itemEnd) of nTok x nHeads; q/out are [nTok][nHeads][headDim]. */
export function attention(
  q: usize, out: usize, nTok: i32, pos0: i32, nHeads: i32, nKvHeads: i32, headDim: i32,
  kHeads: usize, vHeads: usize, kvF16: bool, scale: f32, scores: usize, itemStart: i32, itemEnd: i32,
): void {
  const group = nHeads / nKvHeads;
  const elt: usize = kvF16 ? 2 : 4;
  const rowBytes = <usize>headDim * elt;
  for (let item = itemStart; item < itemEnd; item++) {
    const t = item / nHeads, h = item % nHeads;
    const nKeys = pos0 + t + 1;
    const qh = q + (<usize>(item * headDim) << 2);
    const kv = h / group;
    const keys = <usize>load<u32>(kHeads + (<usize>kv << 2)), values = <usize>load<u32>(vHeads + (<usize>kv << 2));
    let max = -Infinity as f32;
    for (let p = 0; p < nKeys; p++) {
      const s = dotKey(qh, keys + <usize>p * rowBytes, headDim, kvF16) * scale;
      store<f32>(scores + (<usize>p << 2), s);
      if (s > max) max = s;
    }
    let sum: f64 = 0;
    for (let p = 0; p < nKeys; p++) {
      const e = Mathf.exp(load<f32>(scores + (<usize>p << 2)) - max);
      store<f32>(scores + (<usize>p << 2), e);
      sum += <f64>e;
    }
    const inv = <f32>(1.0 / sum);
    const oh = out + (<usize>(item * headDim) << 2);
    memory.fill(oh, 0, <usize>headDim << 2);
    for (let p = 0; p < nKeys; p++) addValue(oh, values + <usize>p * rowBytes, load<f32>(scores + (<usize>p << 2)) * inv, headDim, kvF16);
  }
}
