// How a weight tensor lies on the GPU: its rows split in chunks that each fit one storage binding
// (maxStorageBufferBindingSize), and within a chunk the bytes of the file repacked so that every
// block is word-aligned: scales apart from quants for q8_0, q4_0 and q6_K (their 34-, 18- and
// 210-byte blocks are not multiples of 4); f32, f16, bf16 and q4_K (144 bytes) as stored. The
// repacked chunk has the stored bytes plus at most 2 bytes of padding and the round-up to 16.
// shaders/dequant.wgsl reads exactly this layout.

import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import { TENSOR_TYPES, TensorType, tensorBytes } from '../tensorTypes.js';
import { alignTo } from './gpuConstants.js';

/** Bytes of the part of a block that stays with the quants (the rest, a 2-byte scale, moves). */
const QUANT_BYTES: Partial<Record<TensorType, { readonly quants: number; readonly scaleAt: number }>> = {
  [TensorType.Q8_0]: { quants: 32, scaleAt: 0 },  // d at 0, qs at 2
  [TensorType.Q4_0]: { quants: 16, scaleAt: 0 },  // d at 0, qs at 2
  [TensorType.Q6_K]: { quants: 208, scaleAt: 208 }, // ql, qh, scales at 0, d at 208
};

/** Bytes of a GPU chunk of `rows` rows of `n` weights of `type`. */
export function chunkBytes(type: TensorType, n: number, rows: number): number {
  const split = QUANT_BYTES[type];
  if (!split) return alignTo(tensorBytes(type, n * rows), 16);
  const blocks = (n * rows) / TENSOR_TYPES[type].blockSize;
  return alignTo(blocks * split.quants + alignTo(blocks * 2, 4), 16);
}

/** Quantized blocks in a chunk of `rows` rows (0 for f32/f16/bf16). */
export function chunkBlocks(type: TensorType, n: number, rows: number): number {
  const info = TENSOR_TYPES[type];
  return info.blockSize === 1 ? 0 : (n * rows) / info.blockSize;
}

/** True for the types whose GPU layout differs from the file's. */
export function needsRepack(type: TensorType): boolean {
  return QUANT_BYTES[type] !== undefined;
}

/** Repacks `rows` stored rows (`stored`) into the GPU layout (`out`, chunkBytes long). */
export function repackRows(type: TensorType, stored: Uint8Array, out: Uint8Array): void {
  const split = QUANT_BYTES[type];
  if (!split) {
    out.set(stored);
    return;
  }
  const blockBytes = TENSOR_TYPES[type].bytesPerBlock;
  const blocks = stored.length / blockBytes;
  const scales = blocks * split.quants;
  const quantsAt = split.scaleAt === 0 ? 2 : 0;
  for (let b = 0; b < blocks; b++) {
    const at = b * blockBytes;
    out.set(stored.subarray(at + quantsAt, at + quantsAt + split.quants), b * split.quants);
    out[scales + 2 * b] = stored[at + split.scaleAt];
    out[scales + 2 * b + 1] = stored[at + split.scaleAt + 1];
  }
}

/** A chunk of rows [rowStart, rowStart + rows). */
export interface ChunkPlan {
  readonly rowStart: number;
  readonly rows: number;
  readonly bytes: number;
}

/**
 * Splits a tensor of `rows` rows of `n` weights into chunks of at most `maxBytes` each (a storage
 * binding), or refuses it when one row alone does not fit.
 */
export function planChunks(name: string, type: TensorType, n: number, rows: number, maxBytes: number): ChunkPlan[] {
  const whole = chunkBytes(type, n, rows);
  if (whole <= maxBytes) return [{ rowStart: 0, rows, bytes: whole }];
  // Chunks hold a multiple of 4 rows so that the f16/bf16 rows of every chunk start on a word.
  let per = Math.floor(rows / Math.ceil(whole / maxBytes) / 4) * 4;
  while (per >= 4 && chunkBytes(type, n, per) > maxBytes) per -= 4;
  if (per < 4) {
    throw new ExpectedError(ErrorReason.Limit, `Tensor ${name} (${TENSOR_TYPES[type].name}, rows of ${n}) does not fit this GPU: four rows need ${chunkBytes(type, n, 4)} bytes, more than one storage binding holds (maxStorageBufferBindingSize ${maxBytes}). Use --backend cpu.`);
  }
  const chunks: ChunkPlan[] = [];
  for (let start = 0; start < rows; start += per) {
    const count = Math.min(per, rows - start);
    chunks.push({ rowStart: start, rows: count, bytes: chunkBytes(type, n, count) });
  }
  return chunks;
}
