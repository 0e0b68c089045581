// A Hugging Face config.json in the engine's terms: the ModelConfig of a Llama-family model
// (model_type llama, mistral or qwen2) and its RoPE base and scaling. HF checkpoints keep Q/K
// unpermuted, so RoPE is always 'neox' here. Llama 3.1 scaling becomes a table of per-frequency
// divisors (llama3RopeFactors) that hfModel.ts hands the engine as the rope_freqs.weight tensor.

import { JsonObject } from '../../base/common/jsonFields.js';
import { ModelFileError } from '../../base/common/errors.js';
import type { ModelConfig, RopeScaling } from './modelConfig.js';

/** The config.json model_type values Pinpoint runs. */
export const HF_MODEL_TYPES: readonly string[] = ['llama', 'mistral', 'qwen2'];

/** Llama 3.1 RoPE scaling parameters (config.json's rope_scaling with rope_type "llama3"). */
export interface Llama3RopeParameters {
  readonly factor: number;
  readonly lowFreqFactor: number;
  readonly highFreqFactor: number;
  readonly originalContextLength: number;
}

/** The model config of a config.json (model_type llama, mistral or qwen2). */
export function hfModelConfig(json: unknown, file: string): ModelConfig {
  const c = JsonObject.of(json, file);
  const architecture = c.optionalString('model_type');
  if (architecture === undefined || !HF_MODEL_TYPES.includes(architecture)) {
    throw new ModelFileError(file, `model_type ${JSON.stringify(architecture)} is not supported. Should be one of: ${HF_MODEL_TYPES.join(', ')}`);
  }
  const activation = c.optionalString('hidden_act') ?? 'silu';
  if (activation !== 'silu') throw new ModelFileError(file, `hidden_act "${activation}" is not supported; Llama-family models use silu`);
  const dim = c.integer('hidden_size', 1, 1 << 20);
  const nHeads = c.integer('num_attention_heads', 1, 1 << 12);
  const nKvHeads = c.integer('num_key_value_heads', 1, nHeads, nHeads);
  if (nHeads % nKvHeads !== 0) throw new ModelFileError(file, `${nHeads} attention heads cannot be shared by ${nKvHeads} KV heads (not a divisor)`);
  if (c.get('head_dim') === undefined && dim % nHeads !== 0) {
    throw new ModelFileError(file, `hidden_size ${dim} is not a multiple of num_attention_heads ${nHeads} and "head_dim" is missing`);
  }
  const headDim = c.integer('head_dim', 2, 1 << 16, dim / nHeads);
  const rope = hfRope(c);
  return {
    architecture,
    name: c.optionalString('_name_or_path') ?? '',
    dim,
    nLayers: c.integer('num_hidden_layers', 1, 1 << 12),
    nHeads,
    nKvHeads,
    headDim,
    ffnDim: c.integer('intermediate_size', 1, 1 << 24),
    vocabSize: c.integer('vocab_size', 1, 1 << 24),
    contextLength: c.integer('max_position_embeddings', 1, 2 ** 31),
    normEps: c.positive('rms_norm_eps', 1e-6),
    ropeTheta: rope.theta,
    ropeDim: headDim,
    ropeStyle: 'neox',
    ropeScaling: rope.scaling,
    tiedOutput: c.optionalBoolean('tie_word_embeddings') ?? false,
    qkvBias: architecture === 'qwen2' || (c.optionalBoolean('attention_bias') ?? false),
  };
}

/** Llama 3.1 parameters of a config.json, or undefined when it uses another RoPE scaling. */
export function hfLlama3Rope(json: unknown, file: string): Llama3RopeParameters | undefined {
  return hfRope(JsonObject.of(json, file)).llama3;
}

/**
 * RoPE base and scaling from `rope_theta` + `rope_scaling`, or from `rope_parameters` (newer
 * transformers). Llama 3.1 scaling is returned as parameters and reaches the engine as the
 * rope_freqs.weight table, so its `scaling` is 'none'.
 */
function hfRope(c: JsonObject): { theta: number; scaling: RopeScaling; llama3?: Llama3RopeParameters } {
  const key = c.get('rope_parameters') !== undefined ? 'rope_parameters' : 'rope_scaling';
  const r = c.object(key, true);
  const theta = r?.get('rope_theta') !== undefined ? r.positive('rope_theta') : c.positive('rope_theta', 10000);
  const kind = r?.optionalString('rope_type') ?? r?.optionalString('type') ?? 'default';
  if (!r || kind === 'default') return { theta, scaling: { kind: 'none' } };
  if (kind === 'linear') return { theta, scaling: { kind: 'linear', factor: r.positive('factor') } };
  if (kind === 'llama3') {
    const llama3 = {
      factor: r.positive('factor'),
      lowFreqFactor: r.positive('low_freq_factor'),
      highFreqFactor: r.positive('high_freq_factor'),
      originalContextLength: r.integer('original_max_position_embeddings', 1, 2 ** 31),
    };
    if (llama3.highFreqFactor <= llama3.lowFreqFactor) {
      throw new ModelFileError(c.file, `${key}.high_freq_factor ${llama3.highFreqFactor} should be above low_freq_factor ${llama3.lowFreqFactor}`);
    }
    return { theta, scaling: { kind: 'none' }, llama3 };
  }
  throw new ModelFileError(c.file, `${key} type "${kind}" is not supported. Should be one of: default, linear, llama3`);
}

/**
 * Llama 3.1's per-frequency divisors (llama.cpp's rope factors): frequency i of the ropeDim / 2 is
 * theta^(-2i / ropeDim) / factors[i]. Long wavelengths are divided by `factor`, short ones kept,
 * and those in between interpolated smoothly, as transformers' llama3 RoPE init.
 */
export function llama3RopeFactors(theta: number, ropeDim: number, p: Llama3RopeParameters): Float32Array {
  const factors = new Float32Array(ropeDim / 2);
  const lowFreqWavelength = p.originalContextLength / p.lowFreqFactor;
  const highFreqWavelength = p.originalContextLength / p.highFreqFactor;
  for (let i = 0; i < factors.length; i++) {
    const wavelength = (2 * Math.PI) / theta ** (-(2 * i) / ropeDim);
    if (wavelength < highFreqWavelength) factors[i] = 1;
    else if (wavelength > lowFreqWavelength) factors[i] = p.factor;
    else {
      const smooth = (p.originalContextLength / wavelength - p.lowFreqFactor) / (p.highFreqFactor - p.lowFreqFactor);
      factors[i] = 1 / ((1 - smooth) / p.factor + smooth);
    }
  }
  return factors;
}
