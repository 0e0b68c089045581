// Whether the relaxed-SIMD kernels can run here. Relaxed SIMD is on by default from V8 11.4
// (Chrome 114, Node 22, Electron 25); Node 20's V8 11.3 has it behind a flag, which can be set
// at run time in the thread that compiles (workers receive the compiled module). Its results
// may differ between engines only outside the value ranges the kernels use, but an engine may
// also get an instruction wrong (V8 11.3's Liftoff computes i32x4.relaxed_dot_i8x16_i7x16_add_s
// as twice the dot, without the accumulator), so the relaxed build must also compute exactly what
// the plain build computes on a small q4_0 matmul before it is used.

import { setFlagsFromString } from 'node:v8';
import { TensorType } from '../../common/tensorTypes.js';
import { ActivationFormat, convertActivationRow } from './jobs.js';
import type { WasmKernels } from './wasmKernels.js';

/** A module whose one function returns i16x8.relaxed_dot_i8x16_i7x16_s of two zero vectors. */
const PROBE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x0a, 0x2b, 0x01, 0x29, 0x00, // code: one body of 41 bytes, no locals
  0xfd, 0x0c, ...new Array<number>(16).fill(0), 0xfd, 0x0c, ...new Array<number>(16).fill(0), // v128.const 0, v128.const 0
  0xfd, 0x92, 0x02, 0x0b, // i16x8.relaxed_dot_i8x16_i7x16_s, end
]);

/** Whether relaxed SIMD validates, after enabling Node 20's flag if it did not at first. */
export function relaxedSimdValidates(): boolean {
  if (WebAssembly.validate(PROBE)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(PROBE);
}

const N = 160, ROWS = 3, TOKENS = 5;

/** Deterministic bytes 0..255 (a linear congruential generator). */
function* bytes(seed: number): Generator<number> {
  for (let s = seed; ; ) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    yield s >>> 24;
  }
}

/** `out` of a q4_0 matmul (ROWS x N weights, TOKENS tokens) with the kernels of `module`. */
function smallMatmul(module: WebAssembly.Module, relaxed: boolean): Float32Array {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernels;
  const base = Math.ceil(k.heapBase() / 64) * 64;
  const w = base, x = base + 1024, xq = x + TOKENS * N * 4, out = xq + 2048, scales = out + 1024;
  const view = new DataView(memory.buffer), random = bytes(7);
  for (let i = 0; i < TOKENS * N; i++) view.setFloat32(x + 4 * i, (random.next().value! - 128) / 17, true);
  const format = relaxed ? ActivationFormat.Q8_0R : ActivationFormat.Q8_0, xStride = k.activationRowBytes(format, N);
  for (let t = 0; t < TOKENS; t++) convertActivationRow(k, format, x + t * N * 4, xq + t * xStride, N);
  for (let b = 0; b < (ROWS * N) / 32; b++) {
    view.setUint16(w + b * 18, 0x3c00 + b, true); // f16 scales near 1
    for (let j = 2; j < 18; j++) view.setUint8(w + b * 18 + j, random.next().value!);
  }
  k.matmul(TensorType.Q4_0, w, (N / 32) * 18, N, xq, xStride, TOKENS, out, ROWS * 4, 0, ROWS, scales);
  return new Float32Array(memory.buffer, out, TOKENS * ROWS).slice();
}

/** Whether the relaxed build's q4_0 matmul equals the plain build's, bit for bit. */
export function relaxedSimdWorks(relaxed: WebAssembly.Module, plain: WebAssembly.Module): boolean {
  const a = new Uint32Array(smallMatmul(relaxed, true).buffer), b = new Uint32Array(smallMatmul(plain, false).buffer);
  return a.every((v, i) => v === b[i]);
}
