// Turns a model path into what the engine needs: a .gguf file or a Hugging Face folder
// (config.json + safetensors + tokenizer.json) becomes a ModelConfig, GGUF-named TensorRefs,
// a Tokenizer, the chat template and sampling defaults. Weights stay on disk until read.

import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFileError } from '../../base/common/errors.js';
import { FileByteSource } from '../../base/node/fileByteSource.js';
import type { ByteSource } from '../../base/common/byteSource.js';
import type { ModelConfig, TensorRef } from '../common/modelConfig.js';
import type { Tokenizer } from '../common/tokenizer/tokenizer.js';
import { loadGgufModel } from '../common/ggufModel.js';
import type { GenerationDefaults, LoadedModel } from '../common/loadedModel.js';
import { loadHuggingFaceModel, type ModelFolder } from '../common/hfModel.js';

/** An open model: everything the engine reads, and `close()` to release its files. */
export interface ModelFiles {
  /** The path that was opened. */
  readonly path: string;
  readonly format: 'gguf' | 'huggingface';
  readonly config: ModelConfig;
  /**
   * Weights by GGUF name: token_embd, output_norm, output (absent when tied), blk.N.{attn_norm,
   * attn_q, attn_k, attn_v, attn_output, ffn_norm, ffn_gate, ffn_up, ffn_down}.weight,
   * blk.N.attn_{q,k,v}.bias when config.qkvBias, and rope_freqs.weight (f32 [ropeDim / 2]) for
   * Llama 3.1 RoPE scaling: frequency i is divided by element i.
   */
  readonly tensors: Map<string, TensorRef>;
  readonly tokenizer: Tokenizer;
  /** The model's own Jinja chat template, if it has one (render with chatTemplate.ts). */
  readonly chatTemplate: string | undefined;
  /** Sampling settings the model recommends (generation_config.json or GGUF general.sampling.*). */
  readonly generation: GenerationDefaults;
  /** Closes the model's files; TensorRefs cannot be read afterwards. */
  close(): Promise<void>;
}

/** Opens a .gguf file or a Hugging Face model folder; a path that is neither is a ModelFileError. */
export async function openModel(path: string): Promise<ModelFiles> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ModelFileError(path, error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.code ?? error.message})`);
  });
  if (info.isFile() && path.toLowerCase().endsWith('.gguf')) {
    const source = await FileByteSource.open(path);
    try {
      return withClose(path, 'gguf', await loadGgufModel(source));
    } catch (error) {
      await source.close();
      throw error;
    }
  }
  if (info.isDirectory()) {
    const folder = nodeModelFolder(path);
    if (await folder.exists('config.json')) return withClose(path, 'huggingface', await loadHuggingFaceModel(folder));
    const ggufs = (await readdir(path)).filter((name) => name.toLowerCase().endsWith('.gguf'));
    const hint = ggufs.length > 0 ? `; it holds ${ggufs.join(', ')}: open one of those files` : '';
    throw new ModelFileError(path, `is a folder without config.json, so not a Hugging Face model${hint}`);
  }
  const hint = /\.safetensors$|config\.json$/i.test(path) ? '; open the folder that holds it' : '';
  throw new ModelFileError(path, `is not a model: expected a .gguf file or a Hugging Face model folder (config.json, *.safetensors, tokenizer.json)${hint}`);
}

function withClose(
  path: string,
  format: ModelFiles['format'],
  model: LoadedModel,
): ModelFiles {
  const { sources, ...rest } = model;
  let closed: Promise<void> | undefined;
  return { path, format, ...rest, close: () => (closed ??= closeAll(sources)) };
}

async function closeAll(sources: readonly ByteSource[]): Promise<void> {
  await Promise.all(sources.map((source) => source.close()));
}

/** A ModelFolder over a directory on disk. */
export function nodeModelFolder(path: string): ModelFolder {
  const pathOf = (name: string): string => join(path, name);
  const exists = async (name: string): Promise<boolean> => (await stat(pathOf(name)).catch(() => undefined))?.isFile() ?? false;
  return {
    path,
    pathOf,
    exists,
    async readText(name) {
      return (await exists(name)) ? readFile(pathOf(name), 'utf8') : undefined;
    },
    async open(name) {
      return (await exists(name)) ? FileByteSource.open(pathOf(name)) : undefined;
    },
  };
}
