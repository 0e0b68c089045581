/// <reference types="@webgpu/types" />
// GPU buffers with an identity (for bind group caching) and byte accounting by role, so that
// `memory()` reports exactly what the backend holds: weights, KV cache, everything else.

import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import { alignTo } from './gpuConstants.js';

/** A GPU buffer with a stable id. */
export interface GpuBuffer {
  readonly id: number;
  readonly buffer: GPUBuffer;
  readonly size: number;
}

export type BufferRole = 'weights' | 'kvCache' | 'activations';

export class GpuBuffers {
  private nextId = 1;
  private readonly bytes: Record<BufferRole, number> = { weights: 0, kvCache: 0, activations: 0 };
  private readonly live = new Set<GpuBuffer>();

  constructor(private readonly device: GPUDevice, private readonly maxBufferSize: number) {}

  /** Creates a buffer of at least `size` bytes (a multiple of 16), counted under `role`. */
  create(role: BufferRole, size: number, usage: number, label: string, mappedAtCreation = false): GpuBuffer {
    const bytes = alignTo(Math.max(size, 16), 16);
    if (bytes > this.maxBufferSize) {
      throw new ExpectedError(ErrorReason.Limit, `${label} needs a GPU buffer of ${bytes} bytes, more than this adapter's maxBufferSize (${this.maxBufferSize}); use a smaller batch or context, or --backend cpu.`);
    }
    const buffer = this.device.createBuffer({ size: bytes, usage, label, mappedAtCreation });
    const ref: GpuBuffer = { id: this.nextId++, buffer, size: bytes };
    this.bytes[role] += bytes;
    this.live.add(ref);
    return ref;
  }

  /** Destroys a buffer created here and stops counting it. */
  destroy(ref: GpuBuffer, role: BufferRole): void {
    if (!this.live.delete(ref)) return;
    this.bytes[role] -= ref.size;
    ref.buffer.destroy();
  }

  /** Bytes held per role. */
  get counts(): Readonly<Record<BufferRole, number>> {
    return this.bytes;
  }

  destroyAll(): void {
    for (const ref of this.live) ref.buffer.destroy();
    this.live.clear();
  }
}
