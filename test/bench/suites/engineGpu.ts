// engine-gpu: the WebGPU engine on the adapter at hand (Dawn in Node; SwiftShader on a machine
// without a GPU, where the numbers only prove that it runs). Measures the adapter's copy
// bandwidth (copyBufferToBuffer of 64 MiB), then per weight type the decode GEMV (one token,
// 2048 x 2048) as achieved GB/s of weights read against that bandwidth, and the prefill matmul
// (64 tokens, 1024 x 1024) as GFLOP/s; then whole synthetic models: prefill and decode tokens/s
// against the CPU backend on the same model in the same run, and the GPU memory by role against
// the file size.

import { statSync } from 'node:fs';
import { MemoryByteSource } from '../../../core/base/common/byteSource.js';
import type { BackendMemory } from '../../../core/engine/common/backend.js';
import { quantizeRow, rowBytes } from '../../../core/engine/common/quant/quantRows.js';
import { TENSOR_TYPES, WEIGHT_TYPES, type TensorType } from '../../../core/engine/common/tensorTypes.js';
import { BufferUsage } from '../../../core/engine/common/webgpu/gpuConstants.js';
import type { WebGpuBackend } from '../../../core/engine/common/webgpu/WebGpuBackend.js';
import { loadLanguageModel } from '../../../core/engine/node/loadLanguageModel.js';
import { createNodeWebGpuBackend } from '../../../core/engine/node/webgpu/createNodeWebGpuBackend.js';
import { seededRandom } from '../../support/seededRandom.js';
import { benchPromptTokens } from '../promptTokens.js';
import { syntheticModelFile } from '../syntheticFiles.js';
import type { SuiteOptions } from '../run.js';
import type { BenchTable } from '../table.js';

const GEMV_N = 2048, MATMUL_N = 1024, MATMUL_TOKENS = 64;
const MODELS = ['m15-f32', 'm100-q8_0', 'm100-q4_0'];
const PROMPT = 128, DECODE = 32;
const MiB = 2 ** 20;

/** Seconds per repetition of `record` (recorded `reps` times, then one wait), best of 3 after a warm-up. */
async function time(backend: WebGpuBackend, reps: number, record: () => void): Promise<number> {
  let best = Infinity;
  for (let round = 0; round < 4; round++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) record();
    await backend.finish();
    if (round > 0) best = Math.min(best, (performance.now() - t0) / 1000 / reps);
  }
  return best;
}

/** Bytes read plus bytes written per second by copyBufferToBuffer of 64 MiB. */
async function copyBandwidth(backend: WebGpuBackend): Promise<number> {
  const device = backend.gpu.device, size = 64 * MiB;
  const src = device.createBuffer({ size, usage: BufferUsage.COPY_SRC });
  const dst = device.createBuffer({ size, usage: BufferUsage.COPY_DST });
  let best = Infinity;
  for (let round = 0; round < 4; round++) {
    const encoder = device.createCommandEncoder();
    for (let i = 0; i < 4; i++) encoder.copyBufferToBuffer(src, 0, dst, 0, size);
    const t0 = performance.now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    if (round > 0) best = Math.min(best, (performance.now() - t0) / 1000 / 4);
  }
  src.destroy();
  dst.destroy();
  return (2 * size) / best;
}

async function uploadRandom(backend: WebGpuBackend, type: TensorType, n: number, rows: number) {
  const random = seededRandom(type), stride = rowBytes(type, n), bytes = new Uint8Array(stride * rows), values = random.normals(n);
  for (let r = 0; r < rows; r++) quantizeRow(type, values.map((v) => v * (1 + (r % 7) / 7)), bytes.subarray(r * stride, (r + 1) * stride));
  return { weight: await backend.uploadWeight({ name: 'w', type, dims: [n, rows], source: new MemoryByteSource('w', bytes), offset: 0, byteLength: bytes.length }), bytes: bytes.length };
}

async function measureType(backend: WebGpuBackend, type: TensorType, copy: number): Promise<(string | number)[][]> {
  const gemv = await uploadRandom(backend, type, GEMV_N, GEMV_N);
  const x1 = backend.createActivation(1, GEMV_N), y1 = backend.createActivation(1, GEMV_N);
  backend.write(x1, 0, seededRandom(1).normals(GEMV_N));
  const gemvSeconds = await time(backend, 20, () => backend.matmul([{ weight: gemv.weight, out: y1 }], x1, 1));
  const mm = await uploadRandom(backend, type, MATMUL_N, MATMUL_N);
  const xs = backend.createActivation(MATMUL_TOKENS, MATMUL_N), ys = backend.createActivation(MATMUL_TOKENS, MATMUL_N);
  backend.write(xs, 0, seededRandom(2).normals(MATMUL_TOKENS * MATMUL_N));
  const mmSeconds = await time(backend, 4, () => backend.matmul([{ weight: mm.weight, out: ys }], xs, MATMUL_TOKENS));
  const name = TENSOR_TYPES[type].name, gbs = gemv.bytes / gemvSeconds / 1e9;
  return [
    ['GEMV', `${name} ${GEMV_N} x ${GEMV_N}, 1 token`, gemvSeconds * 1e3, gbs, 'GB/s of weights', `${((gbs * 1e11) / copy).toFixed(1)} %`],
    ['matmul', `${name} ${MATMUL_N} x ${MATMUL_N}, ${MATMUL_TOKENS} tokens`, mmSeconds * 1e3, (2 * MATMUL_N * MATMUL_N * MATMUL_TOKENS) / mmSeconds / 1e9, 'GFLOP/s', ''],
  ];
}

/** Prefill and greedy-decode tokens/s of a model on a backend, and its memory by role. */
async function measureModelOn(path: string, backend: 'webgpu' | 'cpu'): Promise<{ prefill: number; decode: number; memory: BackendMemory }> {
  const loaded = await loadLanguageModel(path, { backend, contextLength: PROMPT + DECODE + 16, batchSize: 512 });
  try {
    const { model } = loaded;
    const vocab = model.config.vocabSize, prompt = benchPromptTokens(vocab, PROMPT, PROMPT);
    await model.evaluate(prompt.slice(0, 8)); // warm-up: pipelines compiled
    await model.evaluate(prompt.slice(0, 9), 'last', undefined, 1);
    model.resetCache();
    let t0 = performance.now();
    let logits = (await model.evaluate(prompt, 'last', undefined, 1)).logits!;
    const prefill = (PROMPT * 1000) / (performance.now() - t0);
    const history = [...prompt];
    t0 = performance.now();
    for (let i = 0; i < DECODE; i++) {
      history.push(argmax(logits));
      logits = (await model.evaluate(history, 'last', undefined, 1)).logits!; // greedy: argmax on the GPU, as generate does
    }
    const decode = (DECODE * 1000) / (performance.now() - t0);
    return { prefill, decode, memory: model.backend.memory() };
  } finally {
    await loaded.dispose();
  }
}

async function measureModel(root: string, preset: string): Promise<(string | number)[][]> {
  const path = await syntheticModelFile(root, preset);
  const gpu = await measureModelOn(path, 'webgpu');
  const cpu = await measureModelOn(path, 'cpu');
  const m = gpu.memory, file = statSync(path).size;
  const memory = `GPU MiB: weights ${(m.weightBytes / MiB).toFixed(1)} (file ${(file / MiB).toFixed(1)}), KV ${(m.kvCacheBytes / MiB).toFixed(2)}, other ${(m.activationBytes / MiB).toFixed(1)}`;
  return [
    ['prefill', `${preset}, ${PROMPT} tokens`, (PROMPT * 1000) / gpu.prefill, gpu.prefill, 'tokens/s', `${(gpu.prefill / cpu.prefill).toFixed(2)}x the CPU backend (${cpu.prefill.toFixed(0)}); ${memory}`],
    ['decode', `${preset}, ${DECODE} steps`, 1000 / gpu.decode, gpu.decode, 'tokens/s', `${(gpu.decode / cpu.decode).toFixed(2)}x the CPU backend (${cpu.decode.toFixed(1)})`],
  ];
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j] > values[best]) best = j;
  return best;
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const backend = await createNodeWebGpuBackend();
  const adapter = backend.gpu.adapterName, capabilities = backend.gpu.capabilities;
  let copy: number;
  const kernelRows: (string | number)[][] = [];
  try {
    copy = await copyBandwidth(backend);
    console.error(`adapter ${adapter}: copy bandwidth ${(copy / 1e9).toFixed(2)} GB/s`);
    for (const type of WEIGHT_TYPES) {
      console.error(`kernels: ${TENSOR_TYPES[type].name}...`);
      kernelRows.push(...(await measureType(backend, type, copy)));
    }
  } finally {
    await backend.dispose();
  }
  const modelRows: (string | number)[][] = [];
  for (const preset of MODELS) {
    console.error(`model ${preset}...`);
    modelRows.push(...(await measureModel(options.root, preset)));
  }
  return {
    title: `WebGPU engine on ${adapter} (subgroups ${capabilities.subgroups ? 'yes' : 'no'}, shader-f16 ${capabilities.shaderF16 ? 'yes' : 'no'}); copy bandwidth ${(copy / 1e9).toFixed(2)} GB/s`,
    columns: ['what', 'shape', 'ms (per token)', 'rate', 'unit', 'of copy bandwidth / vs the CPU backend, memory'],
    rows: [...kernelRows, ...modelRows],
    notes: [
      `Kernel rows: one token through the decode GEMV (weights read once: GB/s = stored weight bytes / time; "of copy BW" = that over the adapter's copyBufferToBuffer rate, read + write bytes), and ${MATMUL_TOKENS} tokens through the tiled prefill matmul (2 x rows x cols x tokens FLOP / time); activations converted to the type's dot-product format included; best of 3 after a warm-up, 20 (GEMV) or 4 (matmul) dispatches per submit.`,
      `Model rows: synthetic models (test/fixtures/synthetic), prefill of ${PROMPT} seeded tokens from an empty cache in one batch, then ${DECODE} greedy decode steps with the argmax on the device (as generate does; 8 bytes read back per step); f16 KV cache. The same model on the CPU backend (all cores) in the same run gives the ratio. Memory is the backend's GPU buffers by role ("other": activations for batch 512, params, arenas, readback).`,
      'On SwiftShader (a CPU implementation of Vulkan) these numbers only prove that the path runs; run the same command on a machine with a GPU for real figures.',
    ],
    details: { adapter, capabilities, copyBytesPerSecond: copy },
  };
}
