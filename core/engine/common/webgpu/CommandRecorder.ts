/// <reference types="@webgpu/types" />
// Records the dispatches of a forward pass into one command encoder and one compute pass, and
// submits them once, when the host needs a result (a read), new host data (a write) or a full
// arena. Every dispatch gets its own 256-byte params slot in a uniform chunk (dynamic offset) and
// may stage host data (token ids, RoPE tables, attention spans) in a storage arena; both are
// written with one writeBuffer each at submit. Slots, chunks, arenas and bind groups are reused
// from one pass to the next: after the first token nothing is allocated on the GPU.

import { BufferUsage, alignTo } from './gpuConstants.js';
import type { GpuBuffer, GpuBuffers } from './GpuBuffers.js';
import { PARAMS_BYTES, type Kernel } from './PipelineCache.js';

/** Params slots per uniform chunk (a 64 KiB uniform binding limit / 256 bytes). */
const SLOTS_PER_CHUNK = 256;
/** Dispatches recorded before a submit is forced (bounds the params chunks kept). */
const MAX_SLOTS = 16 * SLOTS_PER_CHUNK;

/** One dispatch's params, written field by field as the kernel's `Params` struct (all 4-byte scalars). */
export interface ParamsSlot {
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
}

/** Host data staged for the next submit: `offset` in 32-bit words of the arena buffer. */
export interface HostRegion {
  readonly offset: number;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly i32: Int32Array;
}

export class CommandRecorder {
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private readonly chunks: GpuBuffer[] = [];
  private readonly staging: ArrayBuffer[] = [];
  private slots = 0;
  private hostWords = 0;
  private hostBuffer: GpuBuffer;
  private hostStaging: ArrayBuffer;
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  /** Increments at every submit: host regions of an older generation are gone. */
  generation = 0;
  /** Submits so far (for stats and tests). */
  submits = 0;
  dispatches = 0;

  constructor(private readonly device: GPUDevice, private readonly buffers: GpuBuffers, hostBytes = 1 << 16) {
    this.hostBuffer = buffers.create('activations', hostBytes, BufferUsage.STORAGE | BufferUsage.COPY_DST, 'host data arena');
    this.hostStaging = new ArrayBuffer(this.hostBuffer.size);
  }

  /** The arena buffer host regions live in (bind it where a kernel reads host data). */
  get hostData(): GpuBuffer {
    return this.hostBuffer;
  }

  /** True when commands wait for a submit. */
  get pending(): boolean {
    return this.encoder !== undefined;
  }

  /** Stages `words` 32-bit words of host data for the next submit. */
  host(words: number): HostRegion {
    if (this.slots >= MAX_SLOTS) this.submit(); // so that the dispatch reading this region does not submit
    const need = alignTo(Math.max(words, 1), 4);
    if ((this.hostWords + need) * 4 > this.hostBuffer.size) {
      this.submit();
      if (need * 4 > this.hostBuffer.size) this.growHost(need * 4);
    }
    const offset = this.hostWords;
    this.hostWords += need;
    return {
      offset,
      u32: new Uint32Array(this.hostStaging, offset * 4, words),
      f32: new Float32Array(this.hostStaging, offset * 4, words),
      i32: new Int32Array(this.hostStaging, offset * 4, words),
    };
  }

  /** Records one dispatch of `kernel` over `bindings` (read-only first, then read-write). */
  dispatch(kernel: Kernel, bindings: readonly GpuBuffer[], groups: readonly [number, number?, number?], fill: (p: ParamsSlot) => void): void {
    if (this.slots >= MAX_SLOTS) this.submit();
    const slot = this.slots++;
    const chunk = Math.floor(slot / SLOTS_PER_CHUNK), within = (slot % SLOTS_PER_CHUNK) * PARAMS_BYTES;
    if (chunk === this.chunks.length) {
      this.chunks.push(this.buffers.create('activations', SLOTS_PER_CHUNK * PARAMS_BYTES, BufferUsage.UNIFORM | BufferUsage.COPY_DST, `params chunk ${chunk}`));
      this.staging.push(new ArrayBuffer(SLOTS_PER_CHUNK * PARAMS_BYTES));
    }
    const words = PARAMS_BYTES / 4;
    const u32 = new Uint32Array(this.staging[chunk], within, words);
    u32.fill(0);
    fill({ u32, f32: new Float32Array(this.staging[chunk], within, words) });
    const group = this.bindGroup(kernel, this.chunks[chunk], bindings);
    const pass = this.computePass();
    pass.setPipeline(kernel.pipeline);
    pass.setBindGroup(0, group, [within]);
    pass.dispatchWorkgroups(groups[0], groups[1] ?? 1, groups[2] ?? 1);
    this.dispatches++;
  }

  /** Records a buffer-to-buffer copy (outside the compute pass). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, size);
  }

  /** Writes the params and host data, then submits everything recorded. */
  submit(): void {
    if (!this.encoder) {
      this.reset();
      return;
    }
    this.endPass();
    const queue = this.device.queue;
    const used = Math.ceil(this.slots / SLOTS_PER_CHUNK);
    for (let c = 0; c < used; c++) {
      const bytes = c < used - 1 ? SLOTS_PER_CHUNK * PARAMS_BYTES : (this.slots - c * SLOTS_PER_CHUNK) * PARAMS_BYTES;
      queue.writeBuffer(this.chunks[c].buffer, 0, this.staging[c], 0, bytes);
    }
    if (this.hostWords > 0) queue.writeBuffer(this.hostBuffer.buffer, 0, this.hostStaging, 0, this.hostWords * 4);
    queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    this.submits++;
    this.reset();
  }

  /** Forgets cached bind groups that use `buffer` (before it is destroyed). */
  forget(buffer: GpuBuffer): void {
    for (const key of [...this.bindGroups.keys()]) if (key.split(',').includes(String(buffer.id))) this.bindGroups.delete(key);
  }

  private reset(): void {
    this.slots = 0;
    this.hostWords = 0;
    this.generation++;
  }

  private growHost(bytes: number): void {
    this.forget(this.hostBuffer);
    this.buffers.destroy(this.hostBuffer, 'activations');
    this.hostBuffer = this.buffers.create('activations', alignTo(bytes, 1 << 16), BufferUsage.STORAGE | BufferUsage.COPY_DST, 'host data arena');
    this.hostStaging = new ArrayBuffer(this.hostBuffer.size);
  }

  private bindGroup(kernel: Kernel, params: GpuBuffer, bindings: readonly GpuBuffer[]): GPUBindGroup {
    const key = `${kernel.readOnly}/${kernel.readWrite},${params.id},${bindings.map((b) => b.id).join(',')}`;
    let group = this.bindGroups.get(key);
    if (!group) {
      group = this.device.createBindGroup({
        layout: kernel.layout,
        entries: [
          { binding: 0, resource: { buffer: params.buffer, offset: 0, size: PARAMS_BYTES } },
          ...bindings.map((b, i) => ({ binding: i + 1, resource: { buffer: b.buffer } })),
        ],
      });
      this.bindGroups.set(key, group);
    }
    return group;
  }

  private commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: 'forward pass' });
    return this.encoder;
  }

  private computePass(): GPUComputePassEncoder {
    this.pass ??= this.commandEncoder().beginComputePass({ label: 'kernels' });
    return this.pass;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = undefined;
  }
}
