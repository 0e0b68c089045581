// What loading a model file gives the engine, whatever the format (GGUF file or Hugging Face
// folder): the config, the tensors by GGUF name as byte ranges not yet read, the tokenizer, the
// chat template and the sampling settings the model recommends.

import type { ByteSource } from '../../base/common/byteSource.js';
import type { ModelConfig, TensorRef } from './modelConfig.js';
import type { Tokenizer } from './tokenizer/tokenizer.js';

/** Sampling settings a model file recommends; an absent field means no recommendation. */
export interface GenerationDefaults {
  /** Softmax temperature; 0 means greedy. */
  readonly temperature?: number;
  /** Keep only the k most likely tokens. */
  readonly topK?: number;
  /** Keep the smallest set of tokens whose probabilities sum to p. */
  readonly topP?: number;
  /** Drop tokens less likely than minP times the most likely one. */
  readonly minP?: number;
  /** Divides the logits of tokens already seen (1 = no penalty). */
  readonly repetitionPenalty?: number;
  /** Token ids that end generation (generation_config.json's eos_token_id). */
  readonly eosIds?: readonly number[];
  /** Largest prompt + generated length in tokens. */
  readonly maxLength?: number;
}

/** A model read from its files, whatever the format; tensors are byte ranges, not yet read. */
export interface LoadedModel {
  readonly config: ModelConfig;
  /** GGUF names; see `modelTensorShapes` (modelTensors.ts) for the set and `rope_freqs.weight` for Llama 3.1 RoPE. */
  readonly tensors: Map<string, TensorRef>;
  readonly tokenizer: Tokenizer;
  /** The model's own Jinja chat template, if it has one. */
  readonly chatTemplate: string | undefined;
  readonly generation: GenerationDefaults;
  /** The open files the tensors read from; closing them is the caller's job. */
  readonly sources: readonly ByteSource[];
}
