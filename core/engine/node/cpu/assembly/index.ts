// The CPU backend's WebAssembly kernels (AssemblyScript, SIMD128, shared memory). Every kernel
// works on addresses in the one shared memory that holds the weights, the activations and the
// KV cache; worker threads instantiate this module over the same memory. Built by
// scripts/build.mjs twice: core/dist/cpuKernels.wasm (SIMD128) and cpuKernelsRelaxed.wasm
// (ASC_FEATURE_RELAXED_SIMD: q4_0 and q4_K dot products with relaxed SIMD, dotRelaxed.ts).

export { quantizeQ8_0, quantizeQ8_0R, quantizeQ8_K, quantizeQ8_KR, roundToF16, roundToBf16 } from './quantize';
export { matmul, matmulScratchBytes } from './matmul';
export { dequantizeRow } from './dequantize';
export { rmsNorm, addInPlace, siluMul, addBias } from './norm';
export { ropeCache, ropeApply } from './rope';
export { storeKv, attention, attentionScratchBytes } from './attention';
export { activationRowBytes } from './activationFormats';
export { dotF32, dotF16, dotBF16 } from './dotFloat';
export { dotQ8_0, dotQ4_0 } from './dotQuant';
export { dotQ4_K, dotQ6_K } from './dotKQuant';

/** First free byte after the module's static data: the host allocates above it. */
export function heapBase(): usize {
  return __heap_base;
}

