// The CPU backend: WebAssembly SIMD kernels over one shared memory, the large matmuls and the
// attention split over worker threads. Weights are read from their files straight into the shared
// memory, in their stored type; activations are quantized to each weight type's dot-product
// format (as llama.cpp's vec_dot_type) once per matmul input.

import { availableParallelism } from 'node:os';
import { readBytes } from '../../../base/common/byteSource.js';
import { ArgumentError, assert, throwIfAborted } from '../../../base/common/errors.js';
import type { Backend, BackendMemory, DeviceKvCache, DeviceTensor, DeviceWeight, MatmulTarget } from '../../common/backend.js';
import { kvCacheBytes, kvElementBytes, headSlots, type KvCacheLayout } from '../../common/kvCache.js';
import type { ModelConfig, TensorRef } from '../../common/modelConfig.js';
import { dequantizeRow } from '../../common/quant/quantRows.js';
import { TensorType, tensorBytes } from '../../common/tensorTypes.js';
import { ActivationFormat, convertActivationRow, JobKind, MAX_TARGETS, matmulTargetOffset } from './jobs.js';
import { SharedArena } from './sharedArena.js';
import { chooseKernelVariant, instantiateKernels, kernelModule, type CpuKernelVariant, type WasmKernels } from './wasmKernels.js';
import { WorkerPool } from './workerPool.js';

interface CpuWeight extends DeviceWeight {
  readonly ptr: number;
  readonly type: TensorType;
  readonly rowBytes: number;
  readonly byteLength: number;
}

interface CpuTensor extends DeviceTensor {
  readonly ptr: number;
}

interface CpuKvCache extends DeviceKvCache {
  /** Per layer: address of a u32 table of nKvHeads key buffer addresses. */
  readonly keyTables: number[];
  readonly valueTables: number[];
  /** Per-thread attention scratch, `scoresBytes` each (the kernels' attentionScratchBytes). */
  readonly scores: number;
  readonly scoresBytes: number;
  readonly bytes: number;
}

/** The format `type`'s kernel reads; q4_0 and q4_K read relaxed blocks in the relaxed build. */
function inputFormat(type: TensorType, variant: CpuKernelVariant): ActivationFormat {
  switch (type) {
    case TensorType.F32: return ActivationFormat.F32;
    case TensorType.F16: return ActivationFormat.F16;
    case TensorType.BF16: return ActivationFormat.BF16;
    case TensorType.Q8_0: return ActivationFormat.Q8_0;
    case TensorType.Q4_0: return variant === 'relaxed' ? ActivationFormat.Q8_0R : ActivationFormat.Q8_0;
    case TensorType.Q4_K: return variant === 'relaxed' ? ActivationFormat.Q8_KR : ActivationFormat.Q8_K;
    default: return ActivationFormat.Q8_K;
  }
}

export interface CpuBackendOptions {
  /** Threads for matmuls and attention, main thread included; default: all cores. */
  readonly threads?: number;
  /** Build of the WebAssembly kernels; default: $PINPOINT_CPU_KERNELS, else `relaxed` where it runs. */
  readonly kernels?: CpuKernelVariant;
}

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private weightBytes = 0;
  private kvBytes = 0;
  private activationBytes = 0;
  private readonly scratch = new Map<ActivationFormat, { ptr: number; bytes: number }>();
  /** The threads' matmul scratch, `bytes` each: reserved at upload for the longest weight row. */
  private scales = { ptr: 0, bytes: 0 };
  private positions = 0;
  private ropeTable = 0;
  private ropeCapacity = 0;

  private constructor(
    private readonly arena: SharedArena,
    private readonly kernels: WasmKernels,
    private readonly pool: WorkerPool,
    /** The build of the WebAssembly kernels in use. */
    readonly kernelVariant: CpuKernelVariant,
  ) {}

  get threads(): number {
    return this.pool.threads;
  }

  static async create(options: CpuBackendOptions = {}): Promise<CpuBackend> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new ArgumentError(`Invalid thread count: ${threads}. Should be an integer from 1 to 256.`);
    }
    const variant = chooseKernelVariant(options.kernels);
    const module = kernelModule(variant);
    const probe = instantiateKernels(module, new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }));
    const arena = new SharedArena(probe.heapBase());
    const kernels = instantiateKernels(module, arena.memory);
    const pool = await WorkerPool.create(module, arena.memory, kernels, threads);
    return new CpuBackend(arena, kernels, pool, variant);
  }

  async uploadWeight(ref: TensorRef, signal?: AbortSignal): Promise<DeviceWeight> {
    throwIfAborted(signal, 'model loading');
    if (ref.dims.length === 1 && ref.type !== TensorType.F32) return this.uploadVectorAsF32(ref);
    const ptr = this.arena.alloc(ref.byteLength, `tensor ${ref.name}`);
    await ref.source.readInto(ref.offset, this.arena.bytes(ptr, ref.byteLength));
    this.weightBytes += ref.byteLength;
    if (ref.dims.length > 1) this.reserveMatmulScratch(ref.dims[0]);
    const rowBytes = tensorBytes(ref.type, ref.dims[0]);
    const weight: CpuWeight = { name: ref.name, dims: ref.dims, ptr, type: ref.type, rowBytes, byteLength: ref.byteLength };
    return weight;
  }

  /** Norm weights and biases stored in f16/bf16 (as in bf16 checkpoints) are widened to f32 once. */
  private async uploadVectorAsF32(ref: TensorRef): Promise<DeviceWeight> {
    const n = ref.dims[0];
    const stored = await readBytes(ref.source, ref.offset, ref.byteLength);
    const ptr = this.arena.alloc(n * 4, `tensor ${ref.name}`);
    dequantizeRow(ref.type, stored, this.arena.f32(ptr, n));
    this.weightBytes += n * 4;
    const weight: CpuWeight = { name: ref.name, dims: ref.dims, ptr, type: TensorType.F32, rowBytes: n * 4, byteLength: n * 4 };
    return weight;
  }

  createActivation(maxRows: number, cols: number): DeviceTensor {
    const bytes = maxRows * cols * 4;
    this.activationBytes += bytes;
    const tensor: CpuTensor = { maxRows, cols, ptr: this.arena.alloc(bytes, 'activations') };
    return tensor;
  }

  rowView(t: DeviceTensor, start: number, count: number): DeviceTensor {
    const tensor = t as CpuTensor;
    assert(start >= 0 && start + count <= tensor.maxRows, 'rowView: rows out of range');
    const view: CpuTensor = { maxRows: count, cols: tensor.cols, ptr: tensor.ptr + start * tensor.cols * 4 };
    return view;
  }

  createKvCache(layout: KvCacheLayout): DeviceKvCache {
    const elt = kvElementBytes(layout.type);
    const keyTables: number[] = [], valueTables: number[] = [];
    for (let l = 0; l < layout.nLayers; l++) {
      const keys = this.arena.alloc(layout.nKvHeads * 4, 'KV cache tables');
      const values = this.arena.alloc(layout.nKvHeads * 4, 'KV cache tables');
      for (let h = 0; h < layout.nKvHeads; h++) {
        const headBytes = headSlots(layout, l, h) * layout.headDim * elt;
        this.arena.i32(keys, layout.nKvHeads)[h] = this.arena.alloc(headBytes, 'the KV cache');
        this.arena.i32(values, layout.nKvHeads)[h] = this.arena.alloc(headBytes, 'the KV cache');
      }
      keyTables.push(keys);
      valueTables.push(values);
    }
    const scoresBytes = this.kernels.attentionScratchBytes(layout.queryGroup, layout.capacity, layout.headDim);
    const scores = this.arena.alloc(this.threads * scoresBytes, 'attention scratch');
    const bytes = kvCacheBytes(layout);
    this.kvBytes += bytes;
    const cache: CpuKvCache = { layout, keyTables, valueTables, scores, scoresBytes, bytes };
    return cache;
  }

  embed(out: DeviceTensor, table: DeviceWeight, tokens: Int32Array): void {
    const o = out as CpuTensor, w = table as CpuWeight;
    assert(tokens.length <= o.maxRows && o.cols === w.dims[0], 'embed: shape mismatch');
    for (let t = 0; t < tokens.length; t++) {
      const id = tokens[t];
      if (!(id >= 0 && id < w.dims[1])) throw new ArgumentError(`Token id ${id} is outside the vocabulary (0..${w.dims[1] - 1}).`);
      this.kernels.dequantizeRow(w.type, w.ptr + id * w.rowBytes, o.ptr + t * o.cols * 4, o.cols);
    }
  }

  rmsNorm(out: DeviceTensor, x: DeviceTensor, weight: DeviceWeight, rows: number, eps: number): void {
    const o = out as CpuTensor, i = x as CpuTensor, w = weight as CpuWeight;
    assert(w.type === TensorType.F32 && w.dims[0] === i.cols && o.cols === i.cols, `rmsNorm: ${w.name} must be f32 [${i.cols}]`);
    this.kernels.rmsNorm(i.ptr, w.ptr, o.ptr, i.cols, rows, eps);
  }

  /** `input` converted to `format` in a scratch buffer (or itself for f32). */
  private prepareInput(input: CpuTensor, rows: number, format: ActivationFormat): { ptr: number; stride: number } {
    if (format === ActivationFormat.F32) return { ptr: input.ptr, stride: input.cols * 4 };
    const stride = this.kernels.activationRowBytes(format, input.cols);
    const bytes = stride * rows;
    let buffer = this.scratch.get(format);
    if (!buffer || buffer.bytes < bytes) {
      buffer = { ptr: this.arena.alloc(bytes, 'matmul scratch'), bytes };
      this.activationBytes += bytes;
      this.scratch.set(format, buffer);
    }
    if (rows < 4) {
      for (let r = 0; r < rows; r++) convertActivationRow(this.kernels, format, input.ptr + r * input.cols * 4, buffer.ptr + r * stride, input.cols);
    } else {
      this.pool.args.set([format, input.ptr, buffer.ptr, input.cols, rows, stride]);
      this.pool.run(JobKind.Quantize, rows * input.cols * 8);
    }
    return { ptr: buffer.ptr, stride };
  }

  /** Grows the threads' matmul scratch to fit rows of `n` weights (at load: a model's matrices have few row lengths). */
  private reserveMatmulScratch(n: number): void {
    const bytes = this.kernels.matmulScratchBytes(n);
    if (this.scales.bytes < bytes) {
      this.scales = { ptr: this.arena.alloc(bytes * this.threads, 'matmul scratch'), bytes };
      this.activationBytes += bytes * this.threads;
    }
  }

  matmul(targets: readonly MatmulTarget[], input: DeviceTensor, rows: number): void {
    const x = input as CpuTensor;
    assert(targets.length >= 1 && targets.length <= MAX_TARGETS && rows <= x.maxRows, 'matmul: bad dispatch');
    // Convert the input first: conversion is itself a job and reuses the argument words.
    const prepared = new Map<ActivationFormat, { ptr: number; stride: number }>();
    for (const target of targets) {
      const format = inputFormat((target.weight as CpuWeight).type, this.kernelVariant);
      if (!prepared.has(format)) prepared.set(format, this.prepareInput(x, rows, format));
    }
    assert(this.kernels.matmulScratchBytes(x.cols) <= this.scales.bytes, 'matmul: rows longer than any uploaded weight');
    const args = this.pool.args;
    args.set([rows, targets.length, this.scales.ptr, this.scales.bytes]);
    let work = 0;
    targets.forEach((target, i) => {
      const w = target.weight as CpuWeight, out = target.out as CpuTensor;
      assert(w.dims[0] === x.cols && w.dims[1] === out.cols, `matmul: ${w.name} [${w.dims}] does not fit ${x.cols} -> ${out.cols}`);
      const xin = prepared.get(inputFormat(w.type, this.kernelVariant))!;
      args.set([w.type, w.ptr, w.rowBytes, x.cols, w.dims[1], out.ptr, out.cols * 4, xin.ptr, xin.stride], matmulTargetOffset(i));
      work += rows * x.cols * w.dims[1];
    });
    this.pool.run(JobKind.Matmul, work);
  }

  addBias(x: DeviceTensor, bias: DeviceWeight, rows: number): void {
    const t = x as CpuTensor, b = bias as CpuWeight;
    assert(b.type === TensorType.F32 && b.dims[0] === t.cols, `addBias: ${b.name} must be f32 [${t.cols}]`);
    this.kernels.addBias(t.ptr, b.ptr, t.cols, rows);
  }

  ropePrepare(positions: Int32Array, config: ModelConfig, freqFactors: DeviceWeight | undefined): void {
    const n = positions.length;
    if (n > this.ropeCapacity) {
      this.positions = this.arena.alloc(n * 4, 'rope scratch');
      this.ropeTable = this.arena.alloc(n * config.ropeDim * 4, 'rope scratch');
      this.activationBytes += n * 4 + n * config.ropeDim * 4;
      this.ropeCapacity = n;
    }
    this.arena.i32(this.positions, n).set(positions);
    const thetaScale = Math.fround(Math.pow(config.ropeTheta, -2 / config.ropeDim));
    const freqScale = config.ropeScaling.kind === 'linear' ? 1 / config.ropeScaling.factor : 1;
    const factors = freqFactors ? (freqFactors as CpuWeight).ptr : 0;
    this.kernels.ropeCache(this.positions, n, config.ropeDim, thetaScale, freqScale, factors, this.ropeTable);
  }

  rope(x: DeviceTensor, rows: number, nHeads: number, config: ModelConfig): void {
    const t = x as CpuTensor;
    assert(t.cols === nHeads * config.headDim && rows <= this.ropeCapacity, 'rope: shape mismatch');
    this.kernels.ropeApply(t.ptr, rows, nHeads, config.headDim, config.ropeDim, this.ropeTable, config.ropeStyle === 'neox' ? 1 : 0);
  }

  storeKv(cache: DeviceKvCache, layer: number, k: DeviceTensor, v: DeviceTensor, pos0: number, rows: number): void {
    const c = cache as CpuKvCache, kt = k as CpuTensor, vt = v as CpuTensor;
    const { nKvHeads, headDim, capacity, type } = c.layout;
    assert(pos0 + rows <= capacity, `storeKv: positions ${pos0}..${pos0 + rows} exceed the cache (${capacity})`);
    this.kernels.storeKv(kt.ptr, vt.ptr, rows, pos0, nKvHeads, headDim, c.keyTables[layer], c.valueTables[layer], type === 'f16' ? 1 : 0);
  }

  attention(cache: DeviceKvCache, layer: number, q: DeviceTensor, out: DeviceTensor, pos0: number, rows: number): void {
    const c = cache as CpuKvCache, qt = q as CpuTensor, o = out as CpuTensor;
    const { nKvHeads, headDim, type } = c.layout;
    const nHeads = qt.cols / headDim;
    const scale = 1 / Math.sqrt(headDim);
    const a = this.pool.args;
    a.set([qt.ptr, o.ptr, rows, pos0, nHeads, nKvHeads, headDim, c.keyTables[layer], c.valueTables[layer], type === 'f16' ? 1 : 0, 0, c.scores, c.scoresBytes]);
    this.pool.argsF32[10] = scale;
    assert(nHeads === nKvHeads * c.layout.queryGroup, `attention: ${nHeads} query heads do not match the cache's ${nKvHeads} x ${c.layout.queryGroup}`);
    this.pool.run(JobKind.Attention, rows * nHeads * (pos0 + rows) * headDim * 2);
  }

  siluMul(gate: DeviceTensor, up: DeviceTensor, rows: number): void {
    const g = gate as CpuTensor, u = up as CpuTensor;
    this.kernels.siluMul(g.ptr, u.ptr, rows * g.cols);
  }

  add(x: DeviceTensor, y: DeviceTensor, rows: number): void {
    const a = x as CpuTensor, b = y as CpuTensor;
    this.kernels.addInPlace(a.ptr, b.ptr, rows * a.cols);
  }

  write(t: DeviceTensor, start: number, data: Float32Array): void {
    const tensor = t as CpuTensor;
    assert(data.length % tensor.cols === 0 && start + data.length / tensor.cols <= tensor.maxRows, 'write: rows out of range');
    this.arena.f32(tensor.ptr + start * tensor.cols * 4, data.length).set(data);
  }

  async read(t: DeviceTensor, start: number, count: number): Promise<Float32Array> {
    const tensor = t as CpuTensor;
    return this.arena.f32(tensor.ptr + start * tensor.cols * 4, count * tensor.cols).slice();
  }

  memory(): BackendMemory {
    return { weightBytes: this.weightBytes, kvCacheBytes: this.kvBytes, activationBytes: this.activationBytes };
  }

  async dispose(): Promise<void> {
    await this.pool.dispose();
  }
}
