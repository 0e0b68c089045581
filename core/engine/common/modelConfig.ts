// The shape of a Llama-family model, read from GGUF metadata or a Hugging Face config.json.
// One plain type with a comment per field (llama2.c's Config), shared by every backend.

import type { ByteSource } from '../../base/common/byteSource.js';
import type { TensorType } from './tensorTypes.js';

/** RoPE frequency scaling variants. Llama 3.1 scaling is not one: it comes as per-frequency
 * divisors in the `rope_freqs.weight` tensor (GGUF), computed from config.json for HF folders. */
export type RopeScaling =
  | { readonly kind: 'none' }
  /** Positions divided by `factor` (linear interpolation). */
  | { readonly kind: 'linear'; readonly factor: number };

/** How RoPE pairs dimensions: GGUF `llama` pairs (2i, 2i+1); NeoX/HF pairs (i, i + d/2). */
export type RopeStyle = 'interleaved' | 'neox';

export interface ModelConfig {
  /** Architecture name as in GGUF `general.architecture` (llama, qwen2, mistral...). */
  readonly architecture: string;
  /** Human-readable model name, if the file has one. */
  readonly name: string;
  /** Width of the residual stream. */
  readonly dim: number;
  /** Number of transformer blocks. */
  readonly nLayers: number;
  /** Number of query heads. */
  readonly nHeads: number;
  /** Number of key/value heads (< nHeads for grouped-query attention). */
  readonly nKvHeads: number;
  /** Width of one attention head. */
  readonly headDim: number;
  /** Hidden width of the feed-forward block. */
  readonly ffnDim: number;
  /** Number of tokens in the vocabulary (rows of the embedding table). */
  readonly vocabSize: number;
  /** Context length the model was trained for. */
  readonly contextLength: number;
  /** Epsilon of RMSNorm. */
  readonly normEps: number;
  /** RoPE base frequency. */
  readonly ropeTheta: number;
  /** Number of dimensions of each head that RoPE rotates (usually headDim). */
  readonly ropeDim: number;
  readonly ropeStyle: RopeStyle;
  readonly ropeScaling: RopeScaling;
  /** True when the output projection reuses the token embedding table. */
  readonly tiedOutput: boolean;
  /** True when q, k and v projections have biases (Qwen2). */
  readonly qkvBias: boolean;
}

/** Where one weight tensor's bytes are. Names follow GGUF (`blk.0.attn_q.weight`). */
export interface TensorRef {
  readonly name: string;
  readonly type: TensorType;
  /** ggml order: dims[0] is the contiguous row length (inputs), dims[1] the rows (outputs). */
  readonly dims: readonly number[];
  readonly source: ByteSource;
  /** Absolute byte offset in `source`. */
  readonly offset: number;
  readonly byteLength: number;
}
