// The backend's handles: activations, weights and the KV cache as the WebGPU backend holds them.

import type { DeviceKvCache, DeviceTensor, DeviceWeight } from '../backend.js';
import type { TensorType } from '../tensorTypes.js';
import type { GpuBuffer } from './GpuBuffers.js';

/** f32 rows in a buffer from element `offset` (row views share the buffer). */
export interface GpuTensor extends DeviceTensor {
  readonly buffer: GpuBuffer;
  /** Element offset of row 0. */
  readonly offset: number;
}

/** One binding's worth of rows of a weight, in the GPU layout of weightLayout.ts. */
export interface GpuWeightChunk {
  readonly buffer: GpuBuffer;
  readonly rowStart: number;
  readonly rows: number;
  /** Quantized blocks in the chunk (where its scales start); 0 for float types. */
  readonly blocks: number;
}

export interface GpuWeight extends DeviceWeight {
  readonly type: TensorType;
  readonly chunks: readonly GpuWeightChunk[];
  /** f32 values of a 1-D weight (norms, biases, RoPE factors), kept on the host too. */
  readonly host?: Float32Array;
}

export interface GpuKvCache extends DeviceKvCache {
  /** Per layer: keys [nKvHeads][capacity][headDim] (f16 pairs or f32). */
  readonly keys: readonly GpuBuffer[];
  readonly values: readonly GpuBuffer[];
  /** Decode attention scratch: [tokens <= 4][nHeads][splits][headDim + 2]. */
  readonly partials: GpuBuffer;
  readonly bytes: number;
}
