// A GGUF file's model config, from its `general.*` and `<arch>.*` metadata and its tensor list:
// the architectures Pinpoint runs (llama, mistral, qwen2), how their stored Q/K pair RoPE
// dimensions, the vocabulary size and linear RoPE scaling.

import { ModelFileError } from '../../base/common/errors.js';
import type { ModelConfig, RopeScaling, RopeStyle } from './modelConfig.js';
import { ROPE_FREQS_TENSOR } from './modelTensors.js';
import type { GgufFile } from './gguf/ggufReader.js';
import type { GgufMetadata } from './gguf/ggufValues.js';

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
