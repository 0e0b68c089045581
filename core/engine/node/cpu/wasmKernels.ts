// Loads the CPU kernels (core/dist/cpuKernels.wasm, built from ./assembly) over a shared
// WebAssembly memory and types their exports. The same module is instantiated by the main thread
// and by every worker, over the same memory.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';

/** Exports of cpuKernels.wasm; pointers are byte addresses in the shared memory. */
export interface WasmKernels {
  quantizeQ8_0(src: number, dst: number, n: number): void;
  quantizeQ8_K(src: number, dst: number, n: number): void;
  roundToF16(src: number, dst: number, n: number): void;
  roundToBf16(src: number, dst: number, n: number): void;
  matmul(type: number, w: number, rowBytes: number, n: number, x: number, xStride: number, nTok: number,
    out: number, outStride: number, r0: number, r1: number): void;
  dequantizeRow(type: number, src: number, dst: number, n: number): void;
  rmsNorm(x: number, w: number, out: number, n: number, rows: number, eps: number): void;
  addInPlace(x: number, y: number, count: number): void;
  siluMul(gate: number, up: number, count: number): void;
  addBias(x: number, b: number, n: number, rows: number): void;
  ropeCache(positions: number, nTok: number, ropeDim: number, thetaScale: number, freqScale: number, freqFactors: number, cache: number): void;
  ropeApply(x: number, nTok: number, nHeads: number, headDim: number, ropeDim: number, cache: number, neox: number): void;
  storeKv(k: number, v: number, nTok: number, pos0: number, nKvHeads: number, headDim: number, kHeads: number, vHeads: number, kvF16: number): void;
  attention(q: number, out: number, nTok: number, pos0: number, nHeads: number, nKvHeads: number, headDim: number,
    kHeads: number, vHeads: number, kvF16: number, scale: number, scores: number, first: number, step: number): void;
  dotF32(w: number, x: number, n: number): number;
  dotF16(w: number, x: number, n: number): number;
  dotBF16(w: number, x: number, n: number): number;
  dotQ8_0(w: number, x: number, nb: number): number;
  dotQ4_0(w: number, x: number, nb: number): number;
  dotQ4_K(w: number, x: number, nb: number): number;
  dotQ6_K(w: number, x: number, nb: number): number;
  heapBase(): number;
}

/** Pages of 64 KiB a shared memory may grow to: the whole 4 GiB of wasm32. */
export const MAX_PAGES = 65536;

let compiled: WebAssembly.Module | undefined;

/** Finds the built module: beside the bundle (core/dist) or, from sources, in core/dist. */
function wasmPath(): string {
  const candidates = ['./cpuKernels.wasm', '../../../dist/cpuKernels.wasm'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new ExpectedError(ErrorReason.ModelFile, `CPU kernels not built (looked for ${candidates.join(', ')}); run npm run build`);
  }
  return found;
}

/** The compiled module, shared by all instances in this thread (and sendable to workers). */
export function kernelModule(): WebAssembly.Module {
  // V8 first runs WebAssembly with its baseline compiler (Liftoff) and tiers up only functions
  // called often; a kernel called a few times per token with long loops stays on the baseline,
  // about half as fast (measured on the q8_0 matvec). Compile optimized from the start.
  if (!compiled) setFlagsFromString('--no-liftoff');
  compiled ??= new WebAssembly.Module(readFileSync(wasmPath()));
  return compiled;
}

/** Instantiates the kernels over `memory`. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): WasmKernels {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as WasmKernels;
}
