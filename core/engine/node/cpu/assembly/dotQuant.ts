// Dot products of quantized weight rows with prepared activation rows (activationFormats.ts), as
// ggml's ggml_vec_dot_*: q8_0 x q8_0 and q4_0 x q8_0 here, q4_K and q6_K x q8_K in dotKQuant.ts.
// Weight quants are unpacked to i16x8 and multiplied with i32x4.dot_i16x8_s; integer sums per
// block, scaled in f32. The `...x4` variants take four activation rows, so each weight block is
// unpacked once for four tokens (prefill). In the relaxed-SIMD build, q4_0 goes to dotRelaxed.ts.

import { f16ToF32, f16x4Load } from './half';
import { q8_0ROffsets, q8_0RQuants, q8_0WQuants } from './activationFormats';
import { q4_0LanesR, q4_0StepR } from './dotRelaxed';
import { blockStep4, dot16, dot32w, hsum, laneSums4, storeLanes, store4 } from './lanes';

// ---- q8_0 and q4_0 (blocks of 32 weights; activations: q8_0 wide rows, or relaxed rows for q4_0
// in the relaxed build, activationFormats.ts). Each block's 32 products are summed into one
// integer (laneSums4: four blocks, or four tokens, at once), which is exact in any order; then
// out = sum over blocks of f32(total) * (dw * dx). One token: four blocks' totals go through one
// vector conversion and multiply, into four lanes summed at the end. Four tokens of q4_0: lane t
// of one accumulator is token t, and blocks are added in order. Both builds run the same float
// steps. (Four tokens of q8_0, which has one kernel in both builds, keep lane sums per token.)

/** Weight kinds of the q8_0-activation kernels (constants: their branches fold when inlined). */
const Q8_0: i32 = 0;
const Q4_0: i32 = 1;

/** Weights 0..15 and 16..31 of a q4_0 block as signed bytes (nibble - 8). */
// @ts-ignore: decorator
@inline function q4_0Low(q: v128): v128 { return i8x16.sub(v128.and(q, i8x16.splat(15)), i8x16.splat(8)); }
// @ts-ignore: decorator
@inline function q4_0High(q: v128): v128 { return i8x16.sub(i8x16.shr_u(q, 4), i8x16.splat(8)); }

// @ts-ignore: decorator
@inline function weightBlockBytes(kind: i32): usize { return kind == Q8_0 ? 34 : 18; }

/** True when `kind` reads relaxed activation rows (q4_0 in the relaxed build). */
// @ts-ignore: decorator
@inline function relaxedRow(kind: i32): bool { return ASC_FEATURE_RELAXED_SIMD && kind == Q4_0; }

/** Bytes of one block's activation quants, and where a row of nb blocks keeps them. */
// @ts-ignore: decorator
@inline function xBlockBytes(kind: i32): usize { return relaxedRow(kind) ? 32 : 64; }
// @ts-ignore: decorator
@inline function xQuants(kind: i32, nb: i32): usize { return relaxedRow(kind) ? q8_0RQuants(nb) : q8_0WQuants(nb); }

/** Lane sums of the weight block at wp against the activation quants at xq (relaxed: before the offset). */
// @ts-ignore: decorator
@inline function blockLanes(kind: i32, wp: usize, xq: usize): v128 {
  if (kind == Q8_0) return i32x4.add(dot16(v128.load(wp, 2), xq), dot16(v128.load(wp, 18), xq + 32));
  if (ASC_FEATURE_RELAXED_SIMD) return q4_0LanesR(wp, xq);
  const q = v128.load(wp, 2);
  return i32x4.add(dot16(q4_0Low(q), xq), dot16(q4_0High(q), xq + 32));
}

/** Integer totals of blocks b..b+3 of the weight row at w against the activation row at x (nb blocks). */
// @ts-ignore: decorator
@inline function blockTotals4(kind: i32, w: usize, x: usize, nb: i32, b: i32): v128 {
  const wb = weightBlockBytes(kind), xb = xBlockBytes(kind);
  const wp = w + <usize>b * wb, xq = x + xQuants(kind, nb) + <usize>b * xb;
  const totals = laneSums4(blockLanes(kind, wp, xq), blockLanes(kind, wp + wb, xq + xb),
    blockLanes(kind, wp + 2 * wb, xq + 2 * xb), blockLanes(kind, wp + 3 * wb, xq + 3 * xb));
  return relaxedRow(kind) ? i32x4.sub(totals, v128.load(x + q8_0ROffsets(nb) + (<usize>b << 2))) : totals;
}

/** Integer total of block b alone (the last nb % 4 blocks). */
// @ts-ignore: decorator
@inline function blockTotal(kind: i32, w: usize, x: usize, nb: i32, b: i32): i32 {
  const s = blockLanes(kind, w + <usize>b * weightBlockBytes(kind), x + xQuants(kind, nb) + <usize>b * xBlockBytes(kind));
  const total = i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
  return relaxedRow(kind) ? total - load<i32>(x + q8_0ROffsets(nb) + (<usize>b << 2)) : total;
}

/** One weight row of nb blocks against one activation row. */
// @ts-ignore: decorator
@inline function dotQ8Row(kind: i32, w: usize, x: usize, nb: i32): f32 {
  const wb = weightBlockBytes(kind);
  let acc = f32x4.splat(0);
  let b = 0;
  for (; b + 4 <= nb; b += 4) {
    const ds = f32x4.mul(f16x4Load(w + <usize>b * wb, wb), v128.load(x + (<usize>b << 2)));
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(blockTotals4(kind, w, x, nb, b)), ds));
  }
  let tail: f32 = 0;
  for (; b < nb; b++) {
    tail += <f32>blockTotal(kind, w, x, nb, b) * (f16ToF32(load<u16>(w + <usize>b * wb)) * load<f32>(x + (<usize>b << 2)));
  }
  return hsum(acc) + tail;
}

export function dotQ8_0(w: usize, x: usize, nb: i32): f32 {
  return dotQ8Row(Q8_0, w, x, nb);
}

export function dotQ4_0(w: usize, x: usize, nb: i32): f32 {
  return dotQ8Row(Q4_0, w, x, nb);
}

/** acc + the step of four tokens (blockStep4) over q4_0 block b, its weights unpacked once (xs: matmul.ts's interleaved token scales). */
// @ts-ignore: decorator
@inline function q4_0Step4(acc: v128, w: usize, x: usize, xStride: usize, nb: i32, b: i32, dw: v128, xs: usize): v128 {
  const wp = w + <usize>b * 18;
  if (ASC_FEATURE_RELAXED_SIMD) return q4_0StepR(acc, wp, x, xStride, nb, b, dw, xs);
  const q = v128.load(wp, 2), xp = x + q8_0WQuants(nb) + (<usize>b << 6);
  const lo = q4_0Low(q), hi = q4_0High(q);
  const w0 = i16x8.extend_low_i8x16_s(lo), w1 = i16x8.extend_high_i8x16_s(lo);
  const w2 = i16x8.extend_low_i8x16_s(hi), w3 = i16x8.extend_high_i8x16_s(hi);
  const totals = laneSums4(dot32w(w0, w1, w2, w3, xp), dot32w(w0, w1, w2, w3, xp + xStride),
    dot32w(w0, w1, w2, w3, xp + 2 * xStride), dot32w(w0, w1, w2, w3, xp + 3 * xStride));
  return blockStep4(acc, totals, dw, v128.load(xs + (<usize>b << 4)));
}

/** acc + lanes * ds, one token's step over a q8_0 block (lanes from dot32w, ds: dw * dx in every lane). */
// @ts-ignore: decorator
@inline function laneStep(acc: v128, lanes: v128, ds: v128): v128 {
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(lanes), ds));
}

/**
 * Four tokens of q8_0: out[t * outStride] = dot(w, x + t * xStride) for t in 0..3 (ws, xs: the
 * row's block scales as f32 and the tokens' interleaved, matmul.ts), with lane sums per token
 * (measured 4-9% faster here than block totals through laneSums4, which q4_0 needs for its two
 * builds to agree; q8_0 has one kernel in both).
 */
export function dotQ8_0x4(w: usize, x: usize, xStride: usize, nb: i32, out: usize, outStride: usize, ws: usize, xs: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  const xq = x + q8_0WQuants(nb);
  for (let b = 0; b < nb; b++) {
    const wp = w + <usize>b * 34, xp = xq + (<usize>b << 6);
    const lo = v128.load(wp, 2), hi = v128.load(wp, 18);
    const w0 = i16x8.extend_low_i8x16_s(lo), w1 = i16x8.extend_high_i8x16_s(lo);
    const w2 = i16x8.extend_low_i8x16_s(hi), w3 = i16x8.extend_high_i8x16_s(hi);
    const ds = f32x4.mul(f32x4.splat(load<f32>(ws + (<usize>b << 2))), v128.load(xs + (<usize>b << 4)));
    a0 = laneStep(a0, dot32w(w0, w1, w2, w3, xp), v128.shuffle<i32>(ds, ds, 0, 0, 0, 0));
    a1 = laneStep(a1, dot32w(w0, w1, w2, w3, xp + xStride), v128.shuffle<i32>(ds, ds, 1, 1, 1, 1));
    a2 = laneStep(a2, dot32w(w0, w1, w2, w3, xp + 2 * xStride), v128.shuffle<i32>(ds, ds, 2, 2, 2, 2));
    a3 = laneStep(a3, dot32w(w0, w1, w2, w3, xp + 3 * xStride), v128.shuffle<i32>(ds, ds, 3, 3, 3, 3));
  }
  store4(out, outStride, a0, a1, a2, a3);
}

/** Four tokens of q4_0: out[t * outStride] = dot(w, x + t * xStride) for t in 0..3 (ws, xs as dotQ8_0x4). */
export function dotQ4_0x4(w: usize, x: usize, xStride: usize, nb: i32, out: usize, outStride: usize, ws: usize, xs: usize): void {
  let acc = f32x4.splat(0);
  for (let b = 0; b < nb; b++) acc = q4_0Step4(acc, w, x, xStride, nb, b, f32x4.splat(load<f32>(ws + (<usize>b << 2))), xs);
  storeLanes(out, outStride, acc);
}
