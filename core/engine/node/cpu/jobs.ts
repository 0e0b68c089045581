// Parallel jobs of the CPU backend. The main thread writes a job into the shared control block,
// wakes the workers, runs its own share and waits; every thread runs `runJobShare` with its index,
// so the partition of work is written once. Control block (Int32): [seq, done, kind, error, args...].

import { BugIndicatingError } from '../../../base/common/errors.js';
import type { WasmKernels } from './wasmKernels.js';

export enum JobKind {
  Exit = 0,
  Matmul = 1,
  Quantize = 2,
  Attention = 3,
}

export const CONTROL_SEQ = 0;
export const CONTROL_DONE = 1;
export const CONTROL_KIND = 2;
/** Set by a thread whose share threw (a kernel trap is a bug, but must not hang the pool). */
export const CONTROL_ERROR = 3;
export const CONTROL_ARGS = 4;
export const CONTROL_WORDS = 64;

/**
 * Matmul args: nTok, nTargets, scales, scalesBytes, then the targets. `scales` + index x
 * `scalesBytes` is thread `index`'s scratch for weight and activation scales (the kernels'
 * matmulScratchBytes).
 */
const MATMUL_HEADER = 4;
/** Matmul targets per dispatch (q, k, v share one input). */
export const MAX_TARGETS = 3;
/** Int32 words per matmul target: type, w, rowBytes, n, rows, out, outStride, x, xStride. */
const TARGET_WORDS = 9;
/** Rows are handed out in multiples of this, so threads never share a cache line of output. */
const ROW_GRAIN = 16;

/** [start, end) of `total` items for thread `index` of `count`, in multiples of `grain`. */
export function share(total: number, index: number, count: number, grain: number): [number, number] {
  const units = Math.ceil(total / grain);
  const start = Math.floor((units * index) / count) * grain;
  const end = Math.floor((units * (index + 1)) / count) * grain;
  return [Math.min(start, total), Math.min(end, total)];
}

/** Where target i's words start in the matmul args. */
export function matmulTargetOffset(i: number): number {
  return MATMUL_HEADER + i * TARGET_WORDS;
}

function runMatmulShare(k: WasmKernels, a: Int32Array, index: number, count: number): void {
  const nTok = a[0], nTargets = a[1], scales = a[2] + index * a[3];
  let totalRows = 0;
  for (let i = 0; i < nTargets; i++) totalRows += a[matmulTargetOffset(i) + 4];
  const [start, end] = share(totalRows, index, count, ROW_GRAIN);
  let base = 0;
  for (let i = 0; i < nTargets; i++) {
    const o = matmulTargetOffset(i);
    const rows = a[o + 4];
    const r0 = Math.max(start - base, 0), r1 = Math.min(end - base, rows);
    if (r0 < r1) k.matmul(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 7], a[o + 8], nTok, a[o + 5], a[o + 6], r0, r1, scales);
    base += rows;
  }
}

/**
 * Activation formats of the dot products, the quantize job's format ids (the kernels'
 * activationRowBytes takes the same): f32 as is, q8_0 / q8_K widened, values rounded to f16 /
 * bf16, and the relaxed-SIMD build's q8_0 / q8_K rows (assembly/activationFormats.ts).
 */
export enum ActivationFormat { F32 = -1, Q8_0 = 0, Q8_K = 1, F16 = 2, BF16 = 3, Q8_0R = 4, Q8_KR = 5 }

/** Converts the row of `n` floats at `src` into `format` at `dst` (not F32, which needs no conversion). */
export function convertActivationRow(k: WasmKernels, format: ActivationFormat, src: number, dst: number, n: number): void {
  switch (format) {
    case ActivationFormat.Q8_0: return k.quantizeQ8_0(src, dst, n);
    case ActivationFormat.Q8_K: return k.quantizeQ8_K(src, dst, n);
    case ActivationFormat.F16: return k.roundToF16(src, dst, n);
    case ActivationFormat.BF16: return k.roundToBf16(src, dst, n);
    case ActivationFormat.Q8_0R: return k.quantizeQ8_0R(src, dst, n);
    case ActivationFormat.Q8_KR: return k.quantizeQ8_KR(src, dst, n);
    default: throw new BugIndicatingError(`no conversion to activation format ${format}`);
  }
}

/** Quantize args: format (ActivationFormat), src, dst, n, rows, dstStride. */
function runQuantizeShare(k: WasmKernels, a: Int32Array, index: number, count: number): void {
  const [format, src, dst, n, rows, dstStride] = [a[0], a[1], a[2], a[3], a[4], a[5]];
  const [r0, r1] = share(rows, index, count, 1);
  for (let r = r0; r < r1; r++) convertActivationRow(k, format, src + r * n * 4, dst + r * dstStride, n);
}

/**
 * Attention args: q, out, nTok, pos0, nHeads, nKvHeads, headDim, kHeads, vHeads, kvF16, scale(f32),
 * scores, scoresStride. Items go round-robin (thread i takes i, i + count, ...): later query
 * blocks see more keys, so contiguous ranges would leave the first thread idle.
 */
function runAttentionShare(k: WasmKernels, a: Int32Array, f: Float32Array, index: number, count: number): void {
  k.attention(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], f[10], a[11] + index * a[12], index, count);
}

/** Runs thread `index`'s share of the job in `control`. */
export function runJobShare(k: WasmKernels, control: Int32Array, controlF32: Float32Array, index: number, count: number): void {
  const args = control.subarray(CONTROL_ARGS);
  switch (control[CONTROL_KIND] as JobKind) {
    case JobKind.Matmul: return runMatmulShare(k, args, index, count);
    case JobKind.Quantize: return runQuantizeShare(k, args, index, count);
    case JobKind.Attention: return runAttentionShare(k, args, controlF32.subarray(CONTROL_ARGS), index, count);
    case JobKind.Exit: return;
  }
}
