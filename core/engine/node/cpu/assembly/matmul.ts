// out[t][r] = dot(W[r], X[t]) for rows r in [r0, r1) and tokens t in [0, nTok): the matmul of a
// weight matrix (rows in their stored type) with activations already in the type's vec_dot
// format. Blocked for the caches: a block of up to 64 tokens (~100 KB of activations, kept in L2)
// meets every tile of 16 weight rows (kept in L1) in groups of four tokens; so the weights stream
// once per token block and the activations once per call. For q8_0 and q4_0 the four-token kernels
// read two things prepared in the calling thread's `scales` scratch: the f16 block scales of a
// tile's rows as f32 (ROW_TILE x n / 32 floats, once per tile and token block) and the activation
// block scales (and relaxed offsets) of each group of four tokens interleaved (TOKEN_BLOCK / 4
// groups of tokenGroupBytes, once per token block). The caller splits [0, rows) between threads.

import { dotF32, dotF16, dotBF16, dotF32x4, dotF16x4, dotBF16x4 } from './dotFloat';
import { dotQ8_0, dotQ4_0, dotQ8_0x4, dotQ4_0x4 } from './dotQuant';
import { tokenLanes4 } from './lanes';
import { dotQ4_K, dotQ6_K, dotQ4_Kx4, dotQ6_Kx4 } from './dotKQuant';
import { f16ToF32 } from './half';

const ROW_TILE = 16;
const TOKEN_BLOCK = 64;

/**
 * Bytes of one thread's `scales` scratch for rows of up to `n` weights: the f32 block scales of a
 * tile (ROW_TILE x n / 32 floats), then the token scales of a token block (TOKEN_BLOCK / 4 groups
 * of tokenGroupBytes).
 */
export function matmulScratchBytes(n: i32): i32 {
  const nb = (n + 31) >> 5;
  return ((ROW_TILE * nb) << 2) + TOKEN_BLOCK / 4 * <i32>tokenGroupBytes(nb << 5);
}

/** One row against one token; `n` = row length in weights. */
// @ts-ignore: decorator
@inline function dot(type: i32, w: usize, x: usize, n: i32): f32 {
  switch (type) {
    case 0: return dotF32(w, x, n);
    case 1: return dotF16(w, x, n);
    case 30: return dotBF16(w, x, n);
    case 8: return dotQ8_0(w, x, n >> 5);
    case 2: return dotQ4_0(w, x, n >> 5);
    case 12: return dotQ4_K(w, x, n >> 8);
    case 14: return dotQ6_K(w, x, n >> 8);
    default: unreachable();
  }
  return 0;
}

/** True when `type` has a kernel for one row against four tokens. */
// @ts-ignore: decorator
@inline function hasDot4(type: i32): bool {
  return type == 0 || type == 1 || type == 30 || type == 8 || type == 2 || type == 12 || type == 14;
}

/** True when `type`'s four-token kernel reads its weight scales as f32 from the scratch (q8_0, q4_0). */
// @ts-ignore: decorator
@inline function hasRowScales(type: i32): bool {
  return type == 8 || type == 2;
}

/** The f32 block scales of rows [r0, r1) (blocks of 32, f16 scale first) at scales + (r - r0) * (n / 32) * 4. */
function storeRowScales(w: usize, rowBytes: usize, n: i32, r0: i32, r1: i32, scales: usize): void {
  const nb = n >> 5, blockBytes = rowBytes / <usize>nb;
  for (let r = r0; r < r1; r++) {
    const row = w + <usize>r * rowBytes, to = scales + (<usize>((r - r0) * nb) << 2);
    for (let b = 0; b < nb; b++) store<f32>(to + (<usize>b << 2), f16ToF32(load<u16>(row + <usize>b * blockBytes)));
  }
}

/** Bytes of one group of four tokens in the token-scale scratch: nb x 4 scales, then nb x 4 offsets. */
// @ts-ignore: decorator
@inline function tokenGroupBytes(n: i32): usize {
  return <usize>(n >> 5) << 5;
}

/**
 * For each group of four tokens in [t0, t1): their activation block scales interleaved (block b:
 * dx of the four tokens as one vector at 16 b) and, for relaxed q4_0 rows, their offsets likewise
 * (at 16 nb + 16 b), so the four-token kernels load each as one vector.
 */
function storeTokenScales(type: i32, x: usize, xStride: usize, n: i32, t0: i32, t1: i32, xs: usize): void {
  const nb = n >> 5;
  for (let t = t0; t + 4 <= t1; t += 4) {
    const to = xs + <usize>((t - t0) >> 2) * tokenGroupBytes(n), row = x + <usize>t * xStride;
    for (let b = 0; b < nb; b++) {
      v128.store(to + (<usize>b << 4), tokenLanes4(row + (<usize>b << 2), xStride));
      if (ASC_FEATURE_RELAXED_SIMD && type == 2) v128.store(to + (<usize>(nb + b) << 4), tokenLanes4(row + (<usize>(nb + b) << 2), xStride));
    }
  }
}

/**
 * One row against four tokens (only for types where hasDot4); where hasRowScales, `ws`: the row's
 * f32 block scales, `xs`: the four tokens' interleaved scales (storeTokenScales).
 */
// @ts-ignore: decorator
@inline function dot4(type: i32, w: usize, x: usize, xStride: usize, n: i32, out: usize, outStride: usize, ws: usize, xs: usize): void {
  switch (type) {
    case 0: dotF32x4(w, x, xStride, n, out, outStride); break;
    case 1: dotF16x4(w, x, xStride, n, out, outStride); break;
    case 30: dotBF16x4(w, x, xStride, n, out, outStride); break;
    case 8: dotQ8_0x4(w, x, xStride, n >> 5, out, outStride, ws, xs); break;
    case 2: dotQ4_0x4(w, x, xStride, n >> 5, out, outStride, ws, xs); break;
    case 12: dotQ4_Kx4(w, x, xStride, n >> 8, out, outStride); break;
    case 14: dotQ6_Kx4(w, x, xStride, n >> 8, out, outStride); break;
    default: unreachable();
  }
}

export function matmul(
  type: i32, w: usize, rowBytes: usize, n: i32,
  x: usize, xStride: usize, nTok: i32,
  out: usize, outStride: usize, r0: i32, r1: i32, scales: usize,
): void {
  const xs = scales + (<usize>(ROW_TILE * (n >> 5)) << 2); // after the weight scales
  for (let t0 = 0; t0 < nTok; t0 += TOKEN_BLOCK) {
    const t1 = min(t0 + TOKEN_BLOCK, nTok);
    if (hasRowScales(type)) storeTokenScales(type, x, xStride, n, t0, t1, xs);
    for (let tile = r0; tile < r1; tile += ROW_TILE) {
      const tileEnd = min(tile + ROW_TILE, r1);
      let t = t0;
      if (hasDot4(type)) {
        if (hasRowScales(type) && t + 4 <= t1) storeRowScales(w, rowBytes, n, tile, tileEnd, scales);
        for (; t + 4 <= t1; t += 4) {
          const xt = x + <usize>t * xStride, ot = out + <usize>t * outStride, xg = xs + <usize>((t - t0) >> 2) * tokenGroupBytes(n);
          for (let r = tile; r < tileEnd; r++) {
            const ws = scales + (<usize>((r - tile) * (n >> 5)) << 2);
            dot4(type, w + <usize>r * rowBytes, xt, xStride, n, ot + (<usize>r << 2), outStride, ws, xg);
          }
        }
      }
      for (; t < t1; t++) {
        const xt = x + <usize>t * xStride, ot = out + <usize>t * outStride;
        for (let r = tile; r < tileEnd; r++) store<f32>(ot + (<usize>r << 2), dot(type, w + <usize>r * rowBytes, xt, n));
      }
    }
  }
}
