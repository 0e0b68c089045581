/// <reference types="@webgpu/types" />
// Results back to the host: a copy into a mappable staging buffer (pooled by power-of-two size,
// so decode reuses the same one every token), the submit of everything recorded, the compile
// errors of new pipelines, then the map. And the LM head's top-k on the GPU (top_k.wgsl), which
// reads back 8 bytes per wanted token instead of the whole vocabulary.

import { ArgumentError } from '../../../base/common/errors.js';
import { TOP_LOGITS_MAX, type TopLogits } from '../backend.js';
import type { CommandRecorder } from './CommandRecorder.js';
import { BufferUsage, MapMode } from './gpuConstants.js';
import type { GpuBuffer, GpuBuffers } from './GpuBuffers.js';
import type { GpuTensor } from './gpuTypes.js';
import type { KernelEncoder } from './KernelEncoder.js';
import type { PipelineCache } from './PipelineCache.js';


export class GpuReadback {
  private readonly staging = new Map<number, GpuBuffer>();
  private topKBuffer: GpuBuffer | undefined;
  /** Bytes copied back to the host so far. */
  bytesRead = 0;

  constructor(
    private readonly buffers: GpuBuffers,
    private readonly recorder: CommandRecorder,
    private readonly pipelines: PipelineCache,
    private readonly onMapError: () => void,
  ) {}

  /** Copies `bytes` of `src` from `offset`, submits everything recorded and returns the bytes. */
  async read(src: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
    const size = 2 ** Math.ceil(Math.log2(Math.max(bytes, 256)));
    let staging = this.staging.get(size);
    if (!staging) {
      staging = this.buffers.create('activations', size, BufferUsage.MAP_READ | BufferUsage.COPY_DST, `readback ${size}`);
      this.staging.set(size, staging);
    }
    this.recorder.copy(src, offset, staging.buffer, 0, bytes);
    this.recorder.submit();
    await this.pipelines.check();
    try {
      await staging.buffer.mapAsync(MapMode.READ, 0, bytes);
    } catch (error) {
      this.onMapError(); // throws the device-lost error when that is the cause
      throw error;
    }
    const data = staging.buffer.getMappedRange(0, bytes).slice(0);
    this.bytesRead += bytes;
    staging.buffer.unmap();
    return data;
  }

  /** Top-k of each of the `rows` rows of `logits` (a row view), computed on the GPU. */
  async topK(encode: KernelEncoder, logits: GpuTensor, rows: number, k: number): Promise<TopLogits[]> {
    if (!Number.isInteger(k) || k < 1 || k > Math.min(TOP_LOGITS_MAX, logits.cols)) {
      throw new ArgumentError(`Invalid top-k: ${k}. Should be an integer from 1 to ${Math.min(TOP_LOGITS_MAX, logits.cols)}.`);
    }
    const bytes = rows * k * 8;
    if (!this.topKBuffer || this.topKBuffer.size < bytes) {
      if (this.topKBuffer) {
        this.recorder.submit();
        this.recorder.forget(this.topKBuffer);
        this.buffers.destroy(this.topKBuffer, 'activations');
      }
      this.topKBuffer = this.buffers.create('activations', Math.max(bytes, TOP_LOGITS_MAX * 8), BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'top-k results');
    }
    encode.topK(logits, rows, k, this.topKBuffer);
    const words = new Uint32Array(await this.read(this.topKBuffer.buffer, 0, bytes));
    const floats = new Float32Array(words.buffer);
    return Array.from({ length: rows }, (_, r) => ({
      ids: Int32Array.from({ length: k }, (_, i) => words[(r * k + i) * 2]),
      logits: Float32Array.from({ length: k }, (_, i) => floats[(r * k + i) * 2 + 1]),
    }));
  }
}
