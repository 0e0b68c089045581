// A model in GGUF terms: the config read from `<arch>.*` metadata, the tensors by their GGUF names
// and the shapes the engine expects of them. GGUF names are the engine's names for every format,
// so the shape check and the loaded-model types here serve hfModel.ts too.

import { ModelFileError } from '../../base/common/errors.js';
import { readBytes, type ByteSource } from '../../base/common/byteSource.js';
import type { ModelConfig, RopeScaling, RopeStyle, TensorRef } from './modelConfig.js';
import { TensorType, tensorTypeName } from './tensorTypes.js';
import { readGguf, type GgufFile } from './gguf/ggufReader.js';
import type { GgufMetadata } from './gguf/ggufValues.js';
import type { Tokenizer } from './tokenizer/tokenizer.js';
import { tokenizerFromGguf } from './tokenizer/index.js';

// ---- Loaded model: what any format gives the engine

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
  /** GGUF names; see `modelTensorShapes` for the set and `rope_freqs.weight` for Llama 3.1 RoPE. */
  readonly tensors: Map<string, TensorRef>;
  readonly tokenizer: Tokenizer;
  /** The model's own Jinja chat template, if it has one. */
  readonly chatTemplate: string | undefined;
  readonly generation: GenerationDefaults;
  /** The open files the tensors read from; closing them is the caller's job. */
  readonly sources: readonly ByteSource[];
}

// ---- Tensors the engine expects, in GGUF names and ggml dims (dims[0] = row length)

/** Name of the optional per-frequency RoPE divisor table (llama.cpp's rope factors), f32 [ropeDim / 2]. */
export const ROPE_FREQS_TENSOR = 'rope_freqs.weight';

/** The tensors a config needs, with their ggml dims; `optional` ones may be absent. */
export function modelTensorShapes(config: ModelConfig): Map<string, { dims: number[]; optional?: boolean }> {
  const { dim, nLayers, nHeads, nKvHeads, headDim, ffnDim, vocabSize } = config;
  const qDim = nHeads * headDim;
  const kvDim = nKvHeads * headDim;
  const shapes = new Map<string, { dims: number[]; optional?: boolean }>([
    ['token_embd.weight', { dims: [dim, vocabSize] }], // (vocab, dim)
    ['output_norm.weight', { dims: [dim] }],
    [ROPE_FREQS_TENSOR, { dims: [config.ropeDim / 2], optional: true }],
  ]);
  if (!config.tiedOutput) shapes.set('output.weight', { dims: [dim, vocabSize] }); // (vocab, dim)
  for (let layer = 0; layer < nLayers; layer++) {
    const block = (name: string, dims: number[]): void => void shapes.set(`blk.${layer}.${name}`, { dims });
    block('attn_norm.weight', [dim]);
    block('attn_q.weight', [dim, qDim]); // (qDim, dim)
    block('attn_k.weight', [dim, kvDim]); // (kvDim, dim)
    block('attn_v.weight', [dim, kvDim]); // (kvDim, dim)
    block('attn_output.weight', [qDim, dim]); // (dim, qDim)
    block('ffn_norm.weight', [dim]);
    block('ffn_gate.weight', [dim, ffnDim]); // (ffnDim, dim)
    block('ffn_up.weight', [dim, ffnDim]); // (ffnDim, dim)
    block('ffn_down.weight', [ffnDim, dim]); // (dim, ffnDim)
    if (config.qkvBias) {
      block('attn_q.bias', [qDim]);
      block('attn_k.bias', [kvDim]);
      block('attn_v.bias', [kvDim]);
    }
  }
  return shapes;
}

const VECTOR_TYPES: readonly TensorType[] = [TensorType.F32, TensorType.F16, TensorType.BF16];

/**
 * Checks that `tensors` are exactly what `config` needs: none missing, none unexpected, every shape
 * right, vectors (norms, biases) in a float type and the RoPE table in f32. `file` names the model.
 */
export function checkModelTensors(config: ModelConfig, tensors: ReadonlyMap<string, TensorRef>, file: string): void {
  const shapes = modelTensorShapes(config);
  for (const [name, { dims, optional }] of shapes) {
    const tensor = tensors.get(name);
    if (!tensor) {
      if (optional) continue;
      throw new ModelFileError(file, `tensor "${name}" is missing; expected shape [${dims.join(', ')}]`);
    }
    if (tensor.dims.length !== dims.length || tensor.dims.some((d, i) => d !== dims[i])) {
      throw new ModelFileError(tensor.source.name, `tensor "${name}" has shape [${tensor.dims.join(', ')}]; expected [${dims.join(', ')}] (ggml order, row length first)`);
    }
    const allowed = name === ROPE_FREQS_TENSOR ? [TensorType.F32] : dims.length === 1 ? VECTOR_TYPES : undefined;
    if (allowed && !allowed.includes(tensor.type)) {
      throw new ModelFileError(tensor.source.name, `tensor "${name}" has type ${tensorTypeName(tensor.type)}; it should be ${allowed.map(tensorTypeName).join(' or ')}`);
    }
  }
  for (const tensor of tensors.values()) {
    if (!shapes.has(tensor.name)) {
      const why = tensor.name === 'output.weight' ? 'the config ties the output to token_embd' : `a ${config.architecture} model as configured has no such tensor`;
      throw new ModelFileError(tensor.source.name, `unexpected tensor "${tensor.name}": ${why}`);
    }
  }
}

// ---- GGUF metadata -> ModelConfig

/** GGUF architectures Pinpoint runs, with how their stored Q/K pair RoPE dimensions (llama.cpp's NORM vs NEOX). */
const GGUF_ROPE_STYLES: Readonly<Record<string, RopeStyle>> = { llama: 'interleaved', mistral: 'interleaved', qwen2: 'neox' };

/** The model config of a GGUF file, from `general.*` and `<arch>.*` metadata and the tensor list. */
export function ggufModelConfig(gguf: GgufFile): ModelConfig {
  const m = gguf.metadata;
  const architecture = m.string('general.architecture');
  const ropeStyle = Object.hasOwn(GGUF_ROPE_STYLES, architecture) ? GGUF_ROPE_STYLES[architecture] : undefined;
  if (!ropeStyle) {
    throw new ModelFileError(gguf.file, `architecture "${architecture}" is not supported. Should be one of: ${Object.keys(GGUF_ROPE_STYLES).join(', ')}`);
  }
  const key = (name: string): string => `${architecture}.${name}`;
  const dim = m.integer(key('embedding_length'), 1, 1 << 20);
  const nHeads = m.integer(key('attention.head_count'), 1, 1 << 12);
  const nKvHeads = m.integer(key('attention.head_count_kv'), 1, nHeads, nHeads);
  if (nHeads % nKvHeads !== 0) throw new ModelFileError(gguf.file, `${nHeads} attention heads cannot be shared by ${nKvHeads} KV heads (not a divisor)`);
  if (!m.has(key('attention.key_length')) && dim % nHeads !== 0) {
    throw new ModelFileError(gguf.file, `embedding_length ${dim} is not a multiple of head_count ${nHeads} and ${key('attention.key_length')} is missing`);
  }
  const headDim = m.integer(key('attention.key_length'), 1, 1 << 16, dim / nHeads);
  const valueDim = m.integer(key('attention.value_length'), 1, 1 << 16, headDim);
  if (valueDim !== headDim) throw new ModelFileError(gguf.file, `key_length ${headDim} differs from value_length ${valueDim}, which is not supported`);
  const ropeDim = m.integer(key('rope.dimension_count'), 2, headDim, headDim);
  if (ropeDim % 2 !== 0) throw new ModelFileError(gguf.file, `${key('rope.dimension_count')} is ${ropeDim}; it should be even`);
  return {
    architecture,
    name: m.string('general.name', ''),
    dim,
    nLayers: m.integer(key('block_count'), 1, 1 << 12),
    nHeads,
    nKvHeads,
    headDim,
    ffnDim: m.integer(key('feed_forward_length'), 1, 1 << 24),
    vocabSize: ggufVocabSize(gguf, architecture),
    contextLength: m.integer(key('context_length'), 1, 2 ** 31),
    normEps: positive(m, key('attention.layer_norm_rms_epsilon')),
    ropeTheta: positive(m, key('rope.freq_base'), 10000),
    ropeDim,
    ropeStyle,
    ropeScaling: ggufRopeScaling(m, architecture),
    tiedOutput: !gguf.tensors.has('output.weight'),
    qkvBias: gguf.tensors.has('blk.0.attn_q.bias'),
  };
}

/** Rows of the embedding table: `<arch>.vocab_size`, else the tokenizer's token count, else the table itself. */
function ggufVocabSize(gguf: GgufFile, architecture: string): number {
  const fallback = gguf.metadata.stringArray('tokenizer.ggml.tokens')?.length ?? gguf.tensors.get('token_embd.weight')?.dims[1];
  if (fallback === undefined && !gguf.metadata.has(`${architecture}.vocab_size`)) {
    throw new ModelFileError(gguf.file, `has no vocabulary size: no ${architecture}.vocab_size, tokenizer.ggml.tokens nor token_embd.weight`);
  }
  return gguf.metadata.integer(`${architecture}.vocab_size`, 1, 1 << 24, fallback);
}

/** Linear scaling from `rope.scaling.*` (llama.cpp's defaults); Llama 3.1 scaling is the rope_freqs tensor instead. */
function ggufRopeScaling(m: GgufMetadata, architecture: string): RopeScaling {
  const typeKey = `${architecture}.rope.scaling.type`;
  const type = m.string(typeKey, 'linear');
  const factor = m.has(`${architecture}.rope.scaling.factor`)
    ? m.number(`${architecture}.rope.scaling.factor`)
    : m.number(`${architecture}.rope.scale_linear`, 0);
  if (type === 'none') return { kind: 'none' };
  if (type !== 'linear') {
    throw new ModelFileError(m.file, `${typeKey} "${type}" is not supported. Should be one of: none, linear (Llama 3.1 scaling comes as the ${ROPE_FREQS_TENSOR} tensor)`);
  }
  if (!(factor >= 0) || !Number.isFinite(factor)) throw new ModelFileError(m.file, `the RoPE scaling factor is ${factor}; it should be a positive number`);
  return factor === 0 || factor === 1 ? { kind: 'none' } : { kind: 'linear', factor };
}

function positive(m: GgufMetadata, key: string, fallback?: number): number {
  const value = m.number(key, fallback);
  if (!(value > 0) || !Number.isFinite(value)) throw new ModelFileError(m.file, `metadata key "${key}" is ${value}; it should be a positive number`);
  return value;
}

/** Sampling settings from llama.cpp's `general.sampling.*` keys, where present. */
export function ggufGenerationDefaults(m: GgufMetadata): GenerationDefaults {
  const read = (name: string): number | undefined => (m.has(`general.sampling.${name}`) ? m.number(`general.sampling.${name}`) : undefined);
  const settings: GenerationDefaults = {
    temperature: read('temp'),
    topK: read('top_k'),
    topP: read('top_p'),
    minP: read('min_p'),
    repetitionPenalty: read('penalty_repeat'),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as GenerationDefaults;
}

// ---- GGUF file -> LoadedModel

/** Every tensor of a GGUF file as a TensorRef into `source`. */
export function ggufTensorRefs(gguf: GgufFile, source: ByteSource): Map<string, TensorRef> {
  const refs = new Map<string, TensorRef>();
  for (const t of gguf.tensors.values()) {
    refs.set(t.name, { name: t.name, type: t.type, dims: t.dims, source, offset: t.offset, byteLength: t.byteLength });
  }
  return refs;
}

/**
 * Reads a GGUF model: header, config, tensors (checked), tokenizer, chat template and sampling keys.
 * An `output.weight` byte-identical to `token_embd.weight` (llama2.c exports store the tied table
 * twice) is dropped and the output counted as tied, so the engine keeps one copy.
 */
export async function loadGgufModel(source: ByteSource): Promise<LoadedModel> {
  const gguf = await readGguf(source);
  let config = ggufModelConfig(gguf);
  const tensors = ggufTensorRefs(gguf, source);
  const output = tensors.get('output.weight');
  const embedding = tensors.get('token_embd.weight');
  if (output && embedding && (await sameTensorBytes(output, embedding))) {
    tensors.delete('output.weight');
    config = { ...config, tiedOutput: true };
  }
  checkModelTensors(config, tensors, source.name);
  const m = gguf.metadata;
  return {
    config,
    tensors,
    tokenizer: tokenizerFromGguf(m),
    chatTemplate: m.has('tokenizer.chat_template') ? m.string('tokenizer.chat_template') : undefined,
    generation: ggufGenerationDefaults(m),
    sources: [source],
  };
}

/** True when two tensors have the same type, dims and bytes; a difference usually shows in the first block read. */
async function sameTensorBytes(a: TensorRef, b: TensorRef): Promise<boolean> {
  if (a.type !== b.type || a.byteLength !== b.byteLength || a.dims.join() !== b.dims.join()) return false;
  for (let done = 0, step = 1 << 16; done < a.byteLength; done += step, step = 1 << 22) {
    const length = Math.min(step, a.byteLength - done);
    const [x, y] = await Promise.all([readBytes(a.source, a.offset + done, length), readBytes(b.source, b.offset + done, length)]);
    for (let i = 0; i < length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}
