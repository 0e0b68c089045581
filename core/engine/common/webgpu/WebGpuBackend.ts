/// <reference types="@webgpu/types" />
// The WebGPU backend: the Backend operations as WGSL dispatches (shaders/), recorded into one
// command encoder and submitted when the host reads a result. Weights are uploaded once in their
// stored type (repacked to word-aligned blocks, split in chunks when larger than a binding), the
// KV cache lives on the GPU, and activations are converted to each weight type's dot-product
// format as the CPU backend does, so both backends compute the same numbers up to f32 rounding.
// Two pairs of calls of the forward pass are fused when they come in order: add(x, y) then
// rmsNorm(_, x) (rms_norm.wgsl ADD), and rope(k) then storeKv(k, v) (rope.wgsl STORE_KV).

import { ArgumentError, ErrorReason, ExpectedError, assert, throwIfAborted } from '../../../base/common/errors.js';
import type { Backend, BackendMemory, DeviceKvCache, DeviceTensor, DeviceWeight, MatmulTarget, TopLogits } from '../backend.js';
import { kvCacheBytes, kvElementBytes, type KvCacheLayout } from '../kvCache.js';
import type { ModelConfig, TensorRef } from '../modelConfig.js';
import { TensorType } from '../tensorTypes.js';
import { denseCausalSpans, encodeSpans, spansWords } from './attentionSpans.js';
import { CommandRecorder } from './CommandRecorder.js';
import { BufferUsage } from './gpuConstants.js';
import { GpuBuffers, type GpuBuffer } from './GpuBuffers.js';
import type { GpuContext } from './gpuDevice.js';
import { GpuReadback } from './GpuReadback.js';
import type { GpuKvCache, GpuTensor, GpuWeight } from './gpuTypes.js';
import { checkFits, uploadMatrix, uploadVector } from './gpuWeights.js';
import { ATTENTION_SPLIT, GEMV_MAX_TOKENS, KernelEncoder, flashBlocks, inputFormat, type InputFormat } from './KernelEncoder.js';
import { PipelineCache } from './PipelineCache.js';
import { fillRopeTable } from './ropeTable.js';
import type { ShaderLibrary } from './shaderPreprocessor.js';

export interface WebGpuBackendOptions {
  /** WGSL sources of shaders/ by file name. */
  readonly shaders: ShaderLibrary;
  /** Largest chunk of one weight, in bytes; default the device's storage binding limit (tests set it lower). */
  readonly maxBindingBytes?: number;
  /** Use subgroup operations where the device has them; default true (tests turn them off to run the fallbacks). */
  readonly useSubgroups?: boolean;
}

/** An op held back because the next call may fuse with it. */
type Pending =
  | { readonly kind: 'add'; readonly x: GpuTensor; readonly y: GpuTensor; readonly rows: number }
  | { readonly kind: 'rope'; readonly x: GpuTensor; readonly rows: number; readonly heads: number; readonly config: ModelConfig };

const sameRows = (a: GpuTensor, b: GpuTensor) => a.buffer === b.buffer && a.offset === b.offset;

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly threads = 1;
  /** Activation scratch within 5% of weights + KV cache: GPU buffers stay within 10% of the model's own. */
  readonly scratchShare = 0.05;
  private readonly buffers: GpuBuffers;
  private readonly recorder: CommandRecorder;
  private readonly pipelines: PipelineCache;
  private readonly encode: KernelEncoder;
  private readonly scratch = new Map<InputFormat, GpuBuffer>();
  private readonly readback: GpuReadback;
  private pending: Pending | undefined;
  private ropeState: { table: Float32Array; rows: number; ropeDim: number; offset: number; generation: number } | undefined;
  private lostReason: string | undefined;

  constructor(readonly gpu: GpuContext, private readonly options: WebGpuBackendOptions) {
    const device = gpu.device;
    this.buffers = new GpuBuffers(device, gpu.limits.maxBufferSize);
    this.recorder = new CommandRecorder(device, this.buffers);
    this.pipelines = new PipelineCache(device, options.shaders);
    this.encode = new KernelEncoder(this.recorder, this.pipelines, { ...gpu.capabilities, subgroups: gpu.capabilities.subgroups && options.useSubgroups !== false });
    this.readback = new GpuReadback(this.buffers, this.recorder, this.pipelines, () => this.checkLost());
    void gpu.lost.then((reason) => (this.lostReason = reason));
  }

  /** Largest bytes of one weight chunk. */
  get maxBindingBytes(): number {
    return Math.min(this.options.maxBindingBytes ?? Infinity, this.gpu.limits.maxStorageBufferBindingSize, this.gpu.limits.maxBufferSize);
  }

  /** Submits and dispatch counts so far, compiled pipeline variants, bytes read back to the host. */
  get stats(): { readonly submits: number; readonly dispatches: number; readonly pipelines: number; readonly bytesRead: number } {
    return { submits: this.recorder.submits, dispatches: this.recorder.dispatches, pipelines: this.pipelines.size, bytesRead: this.readback.bytesRead };
  }

  /**
   * Checks that every tensor and the KV cache fit this adapter's binding limits, before anything is
   * uploaded; throws an ExpectedError naming the first that does not.
   */
  checkFits(tensors: Iterable<TensorRef>, kv?: KvCacheLayout): void {
    checkFits(tensors, this.maxBindingBytes, kv);
  }

  async uploadWeight(ref: TensorRef, signal?: AbortSignal): Promise<DeviceWeight> {
    throwIfAborted(signal, 'model loading');
    this.checkLost();
    return ref.dims.length === 1 ? uploadVector(this.buffers, this.gpu.device, ref) : uploadMatrix(this.buffers, ref, this.maxBindingBytes);
  }

  createActivation(maxRows: number, cols: number): DeviceTensor {
    const buffer = this.buffers.create('activations', maxRows * cols * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, `activations ${maxRows}x${cols}`);
    const tensor: GpuTensor = { maxRows, cols, buffer, offset: 0 };
    return tensor;
  }

  rowView(t: DeviceTensor, start: number, count: number): DeviceTensor {
    const tensor = t as GpuTensor;
    assert(start >= 0 && start + count <= tensor.maxRows, 'rowView: rows out of range');
    const view: GpuTensor = { maxRows: count, cols: tensor.cols, buffer: tensor.buffer, offset: tensor.offset + start * tensor.cols };
    return view;
  }

  createKvCache(layout: KvCacheLayout): DeviceKvCache {
    this.checkFits([], layout);
    const perLayer = layout.nKvHeads * layout.capacity * layout.headDim * kvElementBytes(layout.type);
    const make = (what: string, l: number) => this.buffers.create('kvCache', perLayer, BufferUsage.STORAGE, `${what} cache layer ${l}`);
    const keys = Array.from({ length: layout.nLayers }, (_, l) => make('key', l));
    const values = Array.from({ length: layout.nLayers }, (_, l) => make('value', l));
    const nHeads = layout.nKvHeads * layout.queryGroup;
    const splits = Math.ceil(layout.capacity / ATTENTION_SPLIT);
    const partials = this.buffers.create('activations', GEMV_MAX_TOKENS * nHeads * splits * (layout.headDim + 2) * 4, BufferUsage.STORAGE, 'attention partials');
    const cache: GpuKvCache = { layout, keys, values, partials, bytes: kvCacheBytes(layout) };
    return cache;
  }

  embed(out: DeviceTensor, table: DeviceWeight, tokens: Int32Array): void {
    const o = out as GpuTensor, w = table as GpuWeight;
    assert(tokens.length <= o.maxRows && o.cols === w.dims[0], 'embed: shape mismatch');
    for (const id of tokens) if (!(id >= 0 && id < w.dims[1])) throw new ArgumentError(`Token id ${id} is outside the vocabulary (0..${w.dims[1] - 1}).`);
    this.flushPending();
    const ids = this.recorder.host(tokens.length);
    ids.i32.set(tokens);
    this.encode.embed(o, w, ids.offset, tokens.length);
  }

  rmsNorm(out: DeviceTensor, x: DeviceTensor, weight: DeviceWeight, rows: number, eps: number): void {
    const o = out as GpuTensor, i = x as GpuTensor, w = weight as GpuWeight;
    assert(w.type === TensorType.F32 && w.dims[0] === i.cols && o.cols === i.cols && o.buffer !== i.buffer, `rmsNorm: ${w.name} must be f32 [${i.cols}]`);
    const p = this.pending;
    if (p?.kind === 'add' && sameRows(p.x, i) && p.rows === rows && p.y.buffer !== i.buffer && o.buffer !== p.y.buffer) {
      this.pending = undefined;
      this.encode.rmsNorm(o, i, w, rows, eps, p.y);
      return;
    }
    this.flushPending();
    this.encode.rmsNorm(o, i, w, rows, eps);
  }

  matmul(targets: readonly MatmulTarget[], input: DeviceTensor, rows: number): void {
    const x = input as GpuTensor;
    assert(targets.length >= 1 && rows <= x.maxRows, 'matmul: bad dispatch');
    this.flushPending();
    const prepared = new Map<InputFormat, { buffer: GpuBuffer; offset: number }>();
    for (const target of targets) {
      const w = target.weight as GpuWeight, out = target.out as GpuTensor;
      assert(w.dims[0] === x.cols && w.dims[1] === out.cols && out.buffer !== x.buffer, `matmul: ${w.name} [${w.dims}] does not fit ${x.cols} -> ${out.cols}`);
      const format = inputFormat(w.type);
      let xin = prepared.get(format);
      if (!xin) {
        xin = format === 'F32' ? { buffer: x.buffer, offset: x.offset } : { buffer: this.quantizeInput(format, x, rows), offset: 0 };
        prepared.set(format, xin);
      }
      this.encode.matmul(w, xin.buffer, xin.offset, out, rows);
    }
  }

  /** Converts `rows` rows of x to `format` into that format's scratch buffer. */
  private quantizeInput(format: Exclude<InputFormat, 'F32'>, x: GpuTensor, rows: number): GpuBuffer {
    const bytes = rows * x.cols * 4;
    let buffer = this.scratch.get(format);
    if (!buffer || buffer.size < bytes) {
      if (buffer) {
        this.recorder.submit(); // commands recorded so far still use the old buffer
        this.recorder.forget(buffer);
        this.buffers.destroy(buffer, 'activations');
      }
      buffer = this.buffers.create('activations', bytes, BufferUsage.STORAGE, `matmul input ${format}`);
      this.scratch.set(format, buffer);
    }
    this.encode.quantize(format, x, rows, buffer);
    return buffer;
  }

  addBias(x: DeviceTensor, bias: DeviceWeight, rows: number): void {
    const t = x as GpuTensor, b = bias as GpuWeight;
    assert(b.type === TensorType.F32 && b.dims[0] === t.cols, `addBias: ${b.name} must be f32 [${t.cols}]`);
    this.flushPending();
    this.encode.elementwise('ADD_BIAS', t, b.chunks[0].buffer, 0, rows);
  }

  ropePrepare(positions: Int32Array, config: ModelConfig, freqFactors: DeviceWeight | undefined): void {
    const table = new Float32Array(positions.length * config.ropeDim);
    fillRopeTable(positions, config, (freqFactors as GpuWeight | undefined)?.host, table);
    this.ropeState = { table, rows: positions.length, ropeDim: config.ropeDim, offset: 0, generation: -1 };
  }

  /** Word offset of the prepared RoPE table in the host arena of the current submission. */
  private ropeTableOffset(): number {
    const r = this.ropeState;
    assert(r, 'rope: ropePrepare was not called');
    if (r.generation !== this.recorder.generation) {
      const region = this.recorder.host(r.table.length);
      region.f32.set(r.table);
      r.offset = region.offset;
      r.generation = this.recorder.generation;
    }
    return r.offset;
  }

  rope(x: DeviceTensor, rows: number, nHeads: number, config: ModelConfig): void {
    const t = x as GpuTensor;
    assert(t.cols === nHeads * config.headDim && this.ropeState !== undefined && rows <= this.ropeState.rows && config.headDim <= 512, 'rope: shape mismatch');
    this.flushPending();
    this.pending = { kind: 'rope', x: t, rows, heads: nHeads, config };
  }

  storeKv(cache: DeviceKvCache, layer: number, k: DeviceTensor, v: DeviceTensor, pos0: number, rows: number): void {
    const c = cache as GpuKvCache, kt = k as GpuTensor, vt = v as GpuTensor;
    const { nKvHeads, headDim, capacity } = c.layout;
    assert(pos0 + rows <= capacity, `storeKv: positions ${pos0}..${pos0 + rows} exceed the cache (${capacity})`);
    assert(kt.cols === nKvHeads * headDim && vt.cols === kt.cols && headDim % 2 === 0, 'storeKv: shape mismatch');
    const p = this.pending;
    const store = { cache: c, layer, v: vt, pos0 };
    if (p?.kind === 'rope' && sameRows(p.x, kt) && p.rows === rows && p.heads === nKvHeads) {
      this.pending = undefined;
      this.encode.rope(kt, rows, nKvHeads, p.config, p.config.ropeDim, this.ropeTableOffset(), store);
      return;
    }
    this.flushPending();
    // rope_dim 0: a plain copy into the cache
    this.encode.rope(kt, rows, nKvHeads, { headDim, ropeStyle: 'interleaved' } as ModelConfig, 0, 0, store);
  }

  attention(cache: DeviceKvCache, layer: number, q: DeviceTensor, out: DeviceTensor, pos0: number, rows: number): void {
    const c = cache as GpuKvCache, qt = q as GpuTensor, o = out as GpuTensor;
    const { nKvHeads, headDim, queryGroup } = c.layout;
    assert(qt.cols === nKvHeads * queryGroup * headDim && o.cols === qt.cols, `attention: ${qt.cols / headDim} query heads do not match the cache's ${nKvHeads} x ${queryGroup}`);
    this.flushPending();
    let spansOffset = 0;
    if (rows > GEMV_MAX_TOKENS) {
      const spans = denseCausalSpans(pos0, rows, flashBlocks(headDim).bq);
      const region = this.recorder.host(spansWords(spans));
      encodeSpans(spans, region.u32);
      spansOffset = region.offset;
    }
    this.encode.attention(c, layer, qt, o, pos0, rows, spansOffset);
  }

  siluMul(gate: DeviceTensor, up: DeviceTensor, rows: number): void {
    const g = gate as GpuTensor, u = up as GpuTensor;
    this.flushPending();
    this.encode.elementwise('SILU_MUL', g, u.buffer, u.offset, rows);
  }

  add(x: DeviceTensor, y: DeviceTensor, rows: number): void {
    const a = x as GpuTensor, b = y as GpuTensor;
    assert(a.cols === b.cols && a.buffer !== b.buffer, 'add: shape mismatch');
    this.flushPending();
    this.pending = { kind: 'add', x: a, y: b, rows };
  }

  /** Records the held-back op on its own. */
  private flushPending(): void {
    this.checkLost();
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (p.kind === 'add') this.encode.elementwise('ADD', p.x, p.y.buffer, p.y.offset, p.rows);
    else this.encode.rope(p.x, p.rows, p.heads, p.config, p.config.ropeDim, this.ropeTableOffset());
  }

  write(t: DeviceTensor, start: number, data: Float32Array): void {
    const tensor = t as GpuTensor;
    assert(data.length % tensor.cols === 0 && start + data.length / tensor.cols <= tensor.maxRows, 'write: rows out of range');
    this.flushPending();
    if (this.recorder.pending) this.recorder.submit(); // recorded commands must see the old contents
    this.gpu.device.queue.writeBuffer(tensor.buffer.buffer, (tensor.offset + start * tensor.cols) * 4, data);
  }

  async read(t: DeviceTensor, start: number, count: number): Promise<Float32Array> {
    const tensor = t as GpuTensor;
    assert(start >= 0 && start + count <= tensor.maxRows, 'read: rows out of range');
    this.flushPending();
    return new Float32Array(await this.readback.read(tensor.buffer.buffer, (tensor.offset + start * tensor.cols) * 4, count * tensor.cols * 4));
  }

  /**
   * The k (1..64) largest values of rows [start, start + count) of t with their column ids: the LM
   * head's argmax (k = 1) or top-k, computed on the GPU; only 8k bytes per row are read back.
   * Generation can call it instead of `read` when sampling is greedy or top-k.
   */
  async readTopK(t: DeviceTensor, start: number, count: number, k: number): Promise<TopLogits[]> {
    const rows = this.rowView(t, start, count) as GpuTensor;
    this.flushPending();
    return this.readback.topK(this.encode, rows, count, k);
  }

  /** Waits until the GPU has run everything submitted (benchmarks). */
  async finish(): Promise<void> {
    this.flushPending();
    this.recorder.submit();
    await this.gpu.device.queue.onSubmittedWorkDone();
    await this.pipelines.check();
  }

  private checkLost(): void {
    if (this.lostReason !== undefined) {
      throw new ExpectedError(ErrorReason.Limit, `The GPU device was lost (${this.lostReason}); load the model again, or use --backend cpu.`);
    }
  }

  memory(): BackendMemory {
    const c = this.buffers.counts;
    return { weightBytes: c.weights, kvCacheBytes: c.kvCache, activationBytes: c.activations };
  }

  async dispose(): Promise<void> {
    this.pending = undefined;
    if (this.lostReason === undefined) {
      this.recorder.submit();
      await this.gpu.device.queue.onSubmittedWorkDone();
    }
    this.buffers.destroyAll();
    this.gpu.device.destroy();
  }
}
