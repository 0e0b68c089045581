// A Hugging Face model folder in the engine's terms: config.json -> ModelConfig, safetensors
// tensors renamed to GGUF names with PyTorch shapes [out, in] turned into ggml dims [in, out],
// tokenizer.json, the chat template and generation_config.json. Weights stay in their files as
// byte ranges. HF checkpoints keep Q/K unpermuted, so RoPE is always 'neox' here.

import { ModelFileError } from '../../base/common/errors.js';
import { MemoryByteSource, type ByteSource } from '../../base/common/byteSource.js';
import type { ModelConfig, RopeScaling, TensorRef } from './modelConfig.js';
import { TensorType } from './tensorTypes.js';
import { checkModelTensors, ROPE_FREQS_TENSOR, type GenerationDefaults, type LoadedModel } from './ggufModel.js';
import { openSafetensorsModel, parseSafetensorsIndex, shardFiles, type FolderFiles, type SafetensorsModelTensor } from './safetensors/safetensorsShards.js';
import { tokenizerFromHuggingFace } from './tokenizer/index.js';

/** A model folder: its path and its files by name. */
export interface ModelFolder extends FolderFiles {
  /** The folder's path, for messages. */
  readonly path: string;
  /** The text of a file of the folder; undefined when it does not exist. */
  readText(name: string): Promise<string | undefined>;
  /** True when the folder holds a regular file of that name. */
  exists(name: string): Promise<boolean>;
}

/** Llama 3.1 RoPE scaling parameters (config.json's rope_scaling with rope_type "llama3"). */
export interface Llama3RopeParameters {
  readonly factor: number;
  readonly lowFreqFactor: number;
  readonly highFreqFactor: number;
  readonly originalContextLength: number;
}

// ---- config.json -> ModelConfig

const HF_MODEL_TYPES = ['llama', 'mistral', 'qwen2'];

/** Reads typed fields of one JSON object, naming the file and the field in every error. */
class JsonFields {
  constructor(
    readonly file: string,
    private readonly json: Record<string, unknown>,
    /** Path of this object in the file, for messages ("rope_scaling."). */
    private readonly prefix = '',
  ) {}

  /** The raw value; null counts as absent, as transformers treats it. */
  get(name: string): unknown {
    const value = Object.hasOwn(this.json, name) ? this.json[name] : undefined;
    return value === null ? undefined : value;
  }

  integer(name: string, min: number, max: number, fallback?: number): number {
    const value = this.get(name) ?? fallback;
    if (value === undefined) throw new ModelFileError(this.file, `"${this.prefix}${name}" is missing`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ModelFileError(this.file, `"${this.prefix}${name}" is ${JSON.stringify(value)}; it should be an integer from ${min} to ${max}`);
    }
    return value;
  }

  positive(name: string, fallback?: number): number {
    const value = this.get(name) ?? fallback;
    if (value === undefined) throw new ModelFileError(this.file, `"${this.prefix}${name}" is missing`);
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new ModelFileError(this.file, `"${this.prefix}${name}" is ${JSON.stringify(value)}; it should be a positive number`);
    }
    return value;
  }

  /** A number from `min` to `max` inclusive, when present. */
  range(name: string, min: number, max: number): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      throw new ModelFileError(this.file, `"${this.prefix}${name}" is ${JSON.stringify(value)}; it should be a number from ${min} to ${max}`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.get(name) ?? fallback;
    if (typeof value !== 'boolean') throw new ModelFileError(this.file, `"${this.prefix}${name}" is ${JSON.stringify(value)}; it should be true or false`);
    return value;
  }

  string(name: string): string | undefined {
    const value = this.get(name);
    if (value !== undefined && typeof value !== 'string') throw new ModelFileError(this.file, `"${this.prefix}${name}" is ${JSON.stringify(value)}; it should be a string`);
    return value;
  }
}

function asObject(json: unknown, file: string, what = 'the file'): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFileError(file, `${what} should be a JSON object`);
  return json as Record<string, unknown>;
}

/** The model config of a config.json (model_type llama, mistral or qwen2). */
export function hfModelConfig(json: unknown, file: string): ModelConfig {
  const c = new JsonFields(file, asObject(json, file));
  const architecture = c.string('model_type');
  if (architecture === undefined || !HF_MODEL_TYPES.includes(architecture)) {
    throw new ModelFileError(file, `model_type ${JSON.stringify(architecture)} is not supported. Should be one of: ${HF_MODEL_TYPES.join(', ')}`);
  }
  const activation = c.string('hidden_act') ?? 'silu';
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
    name: c.string('_name_or_path') ?? '',
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
    tiedOutput: c.boolean('tie_word_embeddings', false),
    qkvBias: architecture === 'qwen2' || c.boolean('attention_bias', false),
  };
}

/** Llama 3.1 parameters of a config.json, or undefined when it uses another RoPE scaling. */
export function hfLlama3Rope(json: unknown, file: string): Llama3RopeParameters | undefined {
  return hfRope(new JsonFields(file, asObject(json, file))).llama3;
}

/**
 * RoPE base and scaling from `rope_theta` + `rope_scaling`, or from `rope_parameters` (newer
 * transformers). Llama 3.1 scaling is returned as parameters and reaches the engine as the
 * rope_freqs.weight table, so its `scaling` is 'none'.
 */
function hfRope(c: JsonFields): { theta: number; scaling: RopeScaling; llama3?: Llama3RopeParameters } {
  const key = c.get('rope_parameters') !== undefined ? 'rope_parameters' : 'rope_scaling';
  const block = c.get(key);
  const r = block === undefined ? undefined : new JsonFields(c.file, asObject(block, c.file, `"${key}"`), `${key}.`);
  const theta = r?.get('rope_theta') !== undefined ? r.positive('rope_theta') : c.positive('rope_theta', 10000);
  const kind = r?.string('rope_type') ?? r?.string('type') ?? 'default';
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

// ---- Tensor names: Hugging Face -> GGUF

const HF_GLOBAL_TENSORS: Readonly<Record<string, string>> = {
  'model.embed_tokens.weight': 'token_embd.weight',
  'model.norm.weight': 'output_norm.weight',
  'lm_head.weight': 'output.weight',
};

const HF_LAYER_TENSORS: Readonly<Record<string, string>> = {
  'input_layernorm.weight': 'attn_norm.weight',
  'self_attn.q_proj.weight': 'attn_q.weight',
  'self_attn.k_proj.weight': 'attn_k.weight',
  'self_attn.v_proj.weight': 'attn_v.weight',
  'self_attn.q_proj.bias': 'attn_q.bias',
  'self_attn.k_proj.bias': 'attn_k.bias',
  'self_attn.v_proj.bias': 'attn_v.bias',
  'self_attn.o_proj.weight': 'attn_output.weight',
  'self_attn.o_proj.bias': 'attn_output.bias',
  'post_attention_layernorm.weight': 'ffn_norm.weight',
  'mlp.gate_proj.weight': 'ffn_gate.weight',
  'mlp.up_proj.weight': 'ffn_up.weight',
  'mlp.down_proj.weight': 'ffn_down.weight',
};

/** The GGUF name of a Hugging Face Llama-family tensor name, or undefined if it has none. */
export function hfTensorName(name: string): string | undefined {
  if (Object.hasOwn(HF_GLOBAL_TENSORS, name)) return HF_GLOBAL_TENSORS[name];
  const match = /^model\.layers\.(0|[1-9]\d{0,5})\.(.+)$/.exec(name);
  if (!match || !Object.hasOwn(HF_LAYER_TENSORS, match[2])) return undefined;
  return `blk.${match[1]}.${HF_LAYER_TENSORS[match[2]]}`;
}

const HF_DTYPES: Readonly<Record<string, TensorType>> = { F32: TensorType.F32, F16: TensorType.F16, BF16: TensorType.BF16 };

/** The safetensors tensors of a model as TensorRefs with GGUF names and ggml dims. */
export function hfTensorRefs(tensors: ReadonlyMap<string, SafetensorsModelTensor>, config: ModelConfig): Map<string, TensorRef> {
  const refs = new Map<string, TensorRef>();
  for (const tensor of tensors.values()) {
    // Buffers some checkpoints save, and the head that tie_word_embeddings replaces.
    if (tensor.name.endsWith('.rotary_emb.inv_freq') || (config.tiedOutput && tensor.name === 'lm_head.weight')) continue;
    const name = hfTensorName(tensor.name);
    if (!name) throw new ModelFileError(tensor.source.name, `tensor "${tensor.name}" is not part of a Llama-family model (${HF_MODEL_TYPES.join(', ')})`);
    const type = Object.hasOwn(HF_DTYPES, tensor.dtype) ? HF_DTYPES[tensor.dtype] : undefined;
    if (type === undefined) {
      throw new ModelFileError(tensor.source.name, `tensor "${tensor.name}" has dtype ${tensor.dtype}, which is not supported. Should be one of: ${Object.keys(HF_DTYPES).join(', ')}`);
    }
    const dims = [...tensor.shape].reverse(); // PyTorch [out, in] -> ggml [in, out]
    refs.set(name, { name, type, dims, source: tensor.source, offset: tensor.offset, byteLength: tensor.byteLength });
  }
  return refs;
}

// ---- generation_config.json, chat template

/** Sampling settings of a generation_config.json; do_sample false means greedy (temperature 0). */
export function hfGenerationDefaults(json: unknown, file: string): GenerationDefaults {
  const g = new JsonFields(file, asObject(json, file));
  const eos = g.get('eos_token_id');
  const eosIds: unknown[] | undefined = eos === undefined ? undefined : Array.isArray(eos) ? eos : [eos];
  if (eosIds && !eosIds.every((id) => typeof id === 'number' && Number.isInteger(id) && id >= 0)) {
    throw new ModelFileError(file, `"eos_token_id" is ${JSON.stringify(eos)}; it should be a token id or a list of them`);
  }
  const topK = g.range('top_k', 0, 2 ** 31);
  if (topK !== undefined && !Number.isInteger(topK)) throw new ModelFileError(file, `"top_k" is ${topK}; it should be an integer`);
  const maxLength = g.get('max_length') === undefined ? undefined : g.integer('max_length', 1, 2 ** 31);
  return withoutUndefined<GenerationDefaults>({
    temperature: g.get('do_sample') === false ? 0 : g.range('temperature', 0, 100),
    topK,
    topP: g.range('top_p', 0, 1),
    minP: g.range('min_p', 0, 1),
    repetitionPenalty: g.range('repetition_penalty', 0, 100),
    eosIds: eosIds as number[] | undefined,
    maxLength,
  });
}

/** The chat template of tokenizer_config.json: a string, or the "default" of a named list. */
export function hfChatTemplate(tokenizerConfig: unknown, file: string): string | undefined {
  const template = typeof tokenizerConfig === 'object' && tokenizerConfig !== null ? (tokenizerConfig as { chat_template?: unknown }).chat_template : undefined;
  if (template === undefined || template === null || typeof template === 'string') return template ?? undefined;
  if (Array.isArray(template)) {
    const named = template as Array<{ name?: unknown; template?: unknown }>;
    const chosen = named.find((t) => t?.name === 'default') ?? named[0];
    if (typeof chosen?.template === 'string') return chosen.template;
  }
  throw new ModelFileError(file, '"chat_template" should be a string or a list of {name, template}');
}

/** Drops the fields whose value is undefined. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// ---- Folder -> LoadedModel

async function readJson(folder: ModelFolder, name: string): Promise<unknown> {
  const text = await folder.readText(name);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelFileError(folder.pathOf(name), `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

async function openWeights(folder: ModelFolder): ReturnType<typeof openSafetensorsModel> {
  const indexName = 'model.safetensors.index.json';
  const index = await readJson(folder, indexName);
  if (index !== undefined) {
    const map = parseSafetensorsIndex(index, folder.pathOf(indexName));
    return openSafetensorsModel(shardFiles(map), folder, { map, file: folder.pathOf(indexName) });
  }
  if (!(await folder.exists('model.safetensors'))) {
    throw new ModelFileError(folder.path, `has no model.safetensors nor ${indexName} (sharded weights)`);
  }
  return openSafetensorsModel(['model.safetensors'], folder);
}

/**
 * Reads a Hugging Face model folder: config.json, tokenizer.json (+ tokenizer_config.json), the
 * weights (model.safetensors or shards with model.safetensors.index.json), chat_template.jinja
 * or the tokenizer config's template, and generation_config.json when present.
 */
export async function loadHuggingFaceModel(folder: ModelFolder): Promise<LoadedModel> {
  const configFile = folder.pathOf('config.json');
  const configJson = await readJson(folder, 'config.json');
  if (configJson === undefined) throw new ModelFileError(folder.path, 'has no config.json; it is not a Hugging Face model folder');
  const config = hfModelConfig(configJson, configFile);
  if (!(await folder.exists('tokenizer.json'))) {
    throw new ModelFileError(folder.path, 'has no tokenizer.json; Pinpoint needs the model\'s fast-tokenizer file');
  }
  const weights = await openWeights(folder);
  const sources: ByteSource[] = [...weights.sources];
  try {
    const tensors = hfTensorRefs(weights.tensors, config);
    const llama3 = hfLlama3Rope(configJson, configFile);
    if (llama3) {
      const factors = llama3RopeFactors(config.ropeTheta, config.ropeDim, llama3);
      const source = new MemoryByteSource(`${configFile} (rope_scaling)`, new Uint8Array(factors.buffer));
      sources.push(source);
      tensors.set(ROPE_FREQS_TENSOR, { name: ROPE_FREQS_TENSOR, type: TensorType.F32, dims: [factors.length], source, offset: 0, byteLength: factors.byteLength });
    }
    checkModelTensors(config, tensors, folder.path);
    const tokenizerConfig = await readJson(folder, 'tokenizer_config.json');
    const tokenizer = tokenizerFromHuggingFace(await readJson(folder, 'tokenizer.json'), tokenizerConfig, folder.pathOf('tokenizer.json'));
    const chatTemplate = (await folder.readText('chat_template.jinja')) ?? hfChatTemplate(tokenizerConfig, folder.pathOf('tokenizer_config.json'));
    const generationJson = await readJson(folder, 'generation_config.json');
    const generation = generationJson === undefined ? {} : hfGenerationDefaults(generationJson, folder.pathOf('generation_config.json'));
    return { config, tensors, tokenizer, chatTemplate, generation, sources };
  } catch (error) {
    await Promise.all(sources.map((source) => source.close()));
    throw error;
  }
}
