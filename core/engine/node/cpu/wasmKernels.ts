// Loads the CPU kernels over a shared WebAssembly memory and types their exports. The kernels are
// built twice from ./assembly (scripts/build.mjs): core/dist/cpuKernelsRelaxed.wasm uses relaxed
// SIMD for the q4_0 and q4_K dot products, core/dist/cpuKernels.wasm only SIMD128; both compute
// bit-identical results. The relaxed build is used where the engine supports it (relaxedSimd.ts).
// The same module is instantiated by the main thread and by every worker, over the same memory.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { ArgumentError, ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import { relaxedSimdWorks, relaxedSimdValidates } from './relaxedSimd.js';

/** The builds of the kernels: `relaxed` needs WebAssembly relaxed SIMD, `plain` SIMD128 only. */
export const CPU_KERNEL_VARIANTS = ['relaxed', 'plain'] as const;
export type CpuKernelVariant = (typeof CPU_KERNEL_VARIANTS)[number];

/**
 * Environment variable that forces a build (`plain` or `relaxed`), e.g. to test the fallback;
 * default: `relaxed` where it works, else `plain`.
 */
export const CPU_KERNELS_VARIABLE = 'PINPOINT_CPU_KERNELS';

const FILES: Record<CpuKernelVariant, string> = { relaxed: 'cpuKernelsRelaxed.wasm', plain: 'cpuKernels.wasm' };

/** Exports of the kernels; pointers are byte addresses in the shared memory. */
export interface WasmKernels {
  quantizeQ8_0(src: number, dst: number, n: number): void;
  /** q8_0 activations as a relaxed row (40 bytes a block of 32), for q4_0 weights in the relaxed build. */
  quantizeQ8_0R(src: number, dst: number, n: number): void;
  quantizeQ8_K(src: number, dst: number, n: number): void;
  /** q8_K activations as relaxed blocks (304 bytes of 256), for q4_K weights in the relaxed build. */
  quantizeQ8_KR(src: number, dst: number, n: number): void;
  roundToF16(src: number, dst: number, n: number): void;
  roundToBf16(src: number, dst: number, n: number): void;
  matmul(type: number, w: number, rowBytes: number, n: number, x: number, xStride: number, nTok: number,
    out: number, outStride: number, r0: number, r1: number, scales: number): void;
  /** Bytes of one thread's `scales` scratch for matmul rows of up to `n` weights. */
  matmulScratchBytes(n: number): number;
  /** Bytes of one row of `n` activations prepared as `format` (the quantize job's format ids, jobs.ts). */
  activationRowBytes(format: number, n: number): number;
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
  /** Bytes of one thread's attention `scores` scratch for a cache of `capacity` positions. */
  attentionScratchBytes(group: number, capacity: number, headDim: number): number;
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

const compiled = new Map<CpuKernelVariant, WebAssembly.Module>();
let relaxedChecked: boolean | undefined;

/** Finds a built module: beside the bundle (core/dist) or, from sources, in core/dist. */
function wasmPath(file: string): string {
  const candidates = [`./${file}`, `../../../dist/${file}`].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new ExpectedError(ErrorReason.ModelFile, `CPU kernels not built (looked for ${candidates.join(', ')}); run npm run build`);
  }
  return found;
}

function compile(variant: CpuKernelVariant): WebAssembly.Module {
  // V8 first runs WebAssembly with its baseline compiler (Liftoff) and tiers up only functions
  // called often; a kernel called a few times per token with long loops stays on the baseline,
  // about half as fast (measured on the q8_0 matvec). Compile optimized from the start.
  if (compiled.size === 0) setFlagsFromString('--no-liftoff');
  let module = compiled.get(variant);
  if (!module) {
    module = new WebAssembly.Module(readFileSync(wasmPath(FILES[variant])));
    compiled.set(variant, module);
  }
  return module;
}

/** Whether the relaxed build validates here and computes what the plain build computes (checked once). */
export function relaxedKernelsAvailable(): boolean {
  relaxedChecked ??= relaxedSimdValidates() && relaxedSimdWorks(compile('relaxed'), compile('plain'));
  return relaxedChecked;
}

/** The build to use: `requested`, else $PINPOINT_CPU_KERNELS, else `relaxed` where available. */
export function chooseKernelVariant(requested = process.env[CPU_KERNELS_VARIABLE] || undefined): CpuKernelVariant {
  if (requested === undefined) return relaxedKernelsAvailable() ? 'relaxed' : 'plain';
  if (!(CPU_KERNEL_VARIANTS as readonly string[]).includes(requested)) {
    throw new ArgumentError(`Unsupported CPU kernels: "${requested}". Should be one of: ${CPU_KERNEL_VARIANTS.join(', ')}.`);
  }
  if (requested === 'relaxed' && !relaxedKernelsAvailable()) {
    throw new ExpectedError(ErrorReason.BadArgument, 'the relaxed-SIMD CPU kernels do not run in this JavaScript engine; use the plain ones');
  }
  return requested as CpuKernelVariant;
}

/** The compiled module of `variant`, shared by all instances in this thread (and sendable to workers). */
export function kernelModule(variant: CpuKernelVariant = chooseKernelVariant()): WebAssembly.Module {
  return compile(variant);
}

/** Instantiates the kernels over `memory`. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): WasmKernels {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as WasmKernels;
}
