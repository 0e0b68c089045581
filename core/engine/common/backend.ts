// The operations a forward pass needs from a compute backend (CPU over WebAssembly, WebGPU).
// Handles are opaque to the forward pass: a backend may compute at once (CPU) or record commands
// and run them at the first read (GPU). Shapes: activations are [rows][cols] f32, rows <= the
// batch size they were created with; weights keep their stored type.

import type { ModelConfig, TensorRef } from './modelConfig.js';
import type { KvCacheLayout } from './kvCache.js';

/** A weight tensor resident on the backend, in its stored type. */
export interface DeviceWeight {
  readonly name: string;
  /** ggml order: dims[0] = row length (inputs), dims[1] = rows (outputs). */
  readonly dims: readonly number[];
}

/** An f32 activation buffer of `maxRows` rows of `cols` values. */
export interface DeviceTensor {
  readonly maxRows: number;
  readonly cols: number;
}

/** A KV cache resident on the backend; see kvCache.ts for its layout and accounting. */
export interface DeviceKvCache {
  readonly layout: KvCacheLayout;
}

/** One matrix of a matmul dispatch: out[t] = weight x input[t]. */
export interface MatmulTarget {
  readonly weight: DeviceWeight;
  readonly out: DeviceTensor;
}

/** The k best logits of one row, best first (ties: the lower id first). */
export interface TopLogits {
  readonly ids: Int32Array;
  readonly logits: Float32Array;
}

/** The largest k a backend's `readTopK` takes. */
export const TOP_LOGITS_MAX = 64;

/** Byte counts a backend reports. */
export interface BackendMemory {
  readonly weightBytes: number;
  readonly kvCacheBytes: number;
  readonly activationBytes: number;
}

export interface Backend {
  readonly name: string;
  /** Threads (CPU) or 1; for stats. */
  readonly threads: number;
  /**
   * The largest share of the model's own memory (weights as stored + KV cache) that activation
   * scratch may take when the caller leaves the batch size to the engine: the batch shrinks to
   * stay within it (a GPU, where memory is scarce). Undefined: no bound.
   */
  readonly scratchShare?: number;
  /**
   * Checks, before anything is uploaded, that these tensors and a KV cache of `kv` fit the
   * backend's limits; throws an ExpectedError naming the first that does not. Optional: a
   * backend without hard per-buffer limits leaves it out.
   */
  checkFits?(tensors: Iterable<TensorRef>, kv: KvCacheLayout): void;
  /** Reads a tensor from its file into backend memory; called once per tensor at load. */
  uploadWeight(ref: TensorRef, signal?: AbortSignal): Promise<DeviceWeight>;
  createActivation(maxRows: number, cols: number): DeviceTensor;
  /** Rows [start, start + count) of t as a tensor of its own (no copy). */
  rowView(t: DeviceTensor, start: number, count: number): DeviceTensor;
  createKvCache(layout: KvCacheLayout): DeviceKvCache;

  /** out[t] = row tokens[t] of the embedding table, dequantized. */
  embed(out: DeviceTensor, table: DeviceWeight, tokens: Int32Array): void;
  /** out[t] = x[t] / rms(x[t]) * weight. */
  rmsNorm(out: DeviceTensor, x: DeviceTensor, weight: DeviceWeight, rows: number, eps: number): void;
  /** For each target: target.out[t] = target.weight x input[t], t < rows. Targets share the input. */
  matmul(targets: readonly MatmulTarget[], input: DeviceTensor, rows: number): void;
  /** x[t] += bias. */
  addBias(x: DeviceTensor, bias: DeviceWeight, rows: number): void;
  /** Prepares the rotations of positions[t] for the following `rope` calls. */
  ropePrepare(positions: Int32Array, config: ModelConfig, freqFactors: DeviceWeight | undefined): void;
  /** Rotates the heads of x ([rows][nHeads * headDim]) with the prepared positions. */
  rope(x: DeviceTensor, rows: number, nHeads: number, config: ModelConfig): void;
  /** Stores k and v of `rows` tokens at positions pos0.. of `layer`. */
  storeKv(cache: DeviceKvCache, layer: number, k: DeviceTensor, v: DeviceTensor, pos0: number, rows: number): void;
  /** Causal attention of q (rows tokens from pos0) over the cache of `layer` into out. */
  attention(cache: DeviceKvCache, layer: number, q: DeviceTensor, out: DeviceTensor, pos0: number, rows: number): void;
  /** gate = silu(gate) * up. */
  siluMul(gate: DeviceTensor, up: DeviceTensor, rows: number): void;
  /** x += y. */
  add(x: DeviceTensor, y: DeviceTensor, rows: number): void;
  /** Copies `data` (whole rows) into t from row `start`. */
  write(t: DeviceTensor, start: number, data: Float32Array): void;
  /** Copies rows [start, start + count) of t to the host. */
  read(t: DeviceTensor, start: number, count: number): Promise<Float32Array>;
  /**
   * The k (1..TOP_LOGITS_MAX) largest values of each row [start, start + count) of t, with their
   * column ids. Optional: a backend whose reads are costly (a GPU) computes them where the logits
   * are and sends back only these; without it the forward pass reads whole rows.
   */
  readTopK?(t: DeviceTensor, start: number, count: number, k: number): Promise<TopLogits[]>;
  memory(): BackendMemory;
  dispose(): Promise<void>;
}
