/// <reference types="@webgpu/types" />
// Weights onto the GPU, once, in their stored type: matrices in chunks of rows that each fit one
// storage binding (weightLayout.ts repacks q8_0, q4_0 and q6_K word-aligned while copying into
// the mapped buffer; other types are read from the file straight into it), and 1-D tensors
// (norms, biases, RoPE factors) widened to f32 as the CPU backend does, kept on the host too.
// Every tensor is checked against the binding limit before its first byte is allocated.

import { readBytes } from '../../../base/common/byteSource.js';
import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import { kvElementBytes, type KvCacheLayout } from '../kvCache.js';
import type { TensorRef } from '../modelConfig.js';
import { dequantizeRow } from '../quant/quantRows.js';
import { TensorType, tensorBytes } from '../tensorTypes.js';
import { BufferUsage } from './gpuConstants.js';
import type { GpuBuffers } from './GpuBuffers.js';
import type { GpuWeight, GpuWeightChunk } from './gpuTypes.js';
import { chunkBlocks, needsRepack, planChunks, repackRows } from './weightLayout.js';

/**
 * Throws an ExpectedError naming the first tensor (or the KV cache) that does not fit
 * `maxBindingBytes` even split in chunks; call it before uploading anything.
 */
export function checkFits(tensors: Iterable<TensorRef>, maxBindingBytes: number, kv?: KvCacheLayout): void {
  for (const ref of tensors) if (ref.dims.length >= 2) planChunks(ref.name, ref.type, ref.dims[0], ref.dims[1], maxBindingBytes);
  if (kv) {
    const bytes = kv.nKvHeads * kv.capacity * kv.headDim * kvElementBytes(kv.type);
    if (bytes > maxBindingBytes) {
      throw new ExpectedError(ErrorReason.Limit, `The KV cache of one layer (${bytes} bytes for ${kv.capacity} positions) is larger than one GPU storage binding (${maxBindingBytes}); use a shorter context or --backend cpu.`);
    }
  }
}

/** Uploads a matrix in chunks of rows. */
export async function uploadMatrix(buffers: GpuBuffers, ref: TensorRef, maxBindingBytes: number): Promise<GpuWeight> {
  const [n, rows] = ref.dims;
  const plan = planChunks(ref.name, ref.type, n, rows, maxBindingBytes); // refuses before allocating
  const rowBytes = tensorBytes(ref.type, n);
  const chunks: GpuWeightChunk[] = [];
  for (const c of plan) {
    const buffer = buffers.create('weights', c.bytes, BufferUsage.STORAGE, `${ref.name} rows ${c.rowStart}..`, true);
    const mapped = new Uint8Array(buffer.buffer.getMappedRange());
    const at = ref.offset + c.rowStart * rowBytes, storedBytes = c.rows * rowBytes;
    if (needsRepack(ref.type)) repackRows(ref.type, await readBytes(ref.source, at, storedBytes), mapped);
    else await ref.source.readInto(at, mapped.subarray(0, storedBytes));
    buffer.buffer.unmap();
    chunks.push({ buffer, rowStart: c.rowStart, rows: c.rows, blocks: chunkBlocks(ref.type, n, c.rows) });
  }
  return { name: ref.name, dims: ref.dims, type: ref.type, chunks };
}

/** Uploads a 1-D tensor as f32 (and keeps the values on the host). */
export async function uploadVector(buffers: GpuBuffers, device: GPUDevice, ref: TensorRef): Promise<GpuWeight> {
  const n = ref.dims[0];
  const host = new Float32Array(n);
  dequantizeRow(ref.type, await readBytes(ref.source, ref.offset, ref.byteLength), host);
  const buffer = buffers.create('weights', n * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST, ref.name);
  device.queue.writeBuffer(buffer.buffer, 0, host);
  return { name: ref.name, dims: ref.dims, type: TensorType.F32, chunks: [{ buffer, rowStart: 0, rows: 1, blocks: 0 }], host };
}
