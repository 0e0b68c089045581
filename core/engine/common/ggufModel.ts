// A GGUF file as a LoadedModel: the config (ggufConfig.ts), every tensor as a byte range into the
// file, checked against what the engine expects (modelTensors.ts), the tokenizer, the chat template
// and llama.cpp's `general.sampling.*` keys.

import { readBytes, type ByteSource } from '../../base/common/byteSource.js';
import type { TensorRef } from './modelConfig.js';
import { readGguf, type GgufFile } from './gguf/ggufReader.js';
import type { GgufMetadata } from './gguf/ggufValues.js';
import { tokenizerFromGguf } from './tokenizer/index.js';
import { ggufModelConfig } from './ggufConfig.js';
import type { GenerationDefaults, LoadedModel } from './loadedModel.js';
import { checkModelTensors } from './modelTensors.js';

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
