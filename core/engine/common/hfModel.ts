// A Hugging Face model folder as a LoadedModel: config.json (hfConfig.ts), the safetensors weights
// with GGUF names and ggml dims (hfTensors.ts), Llama 3.1 RoPE factors as the rope_freqs.weight
// tensor, tokenizer.json, the chat template and generation_config.json (hfGeneration.ts). Weights
// stay in their files as byte ranges.

import { ModelFileError } from '../../base/common/errors.js';
import { MemoryByteSource, type ByteSource } from '../../base/common/byteSource.js';
import { TensorType } from './tensorTypes.js';
import { hfLlama3Rope, hfModelConfig, llama3RopeFactors } from './hfConfig.js';
import { hfChatTemplate, hfGenerationDefaults } from './hfGeneration.js';
import { hfTensorRefs } from './hfTensors.js';
import type { LoadedModel } from './loadedModel.js';
import { checkModelTensors, ROPE_FREQS_TENSOR } from './modelTensors.js';
import { openSafetensorsModel, parseSafetensorsIndex, shardFiles, type FolderFiles } from './safetensors/safetensorsShards.js';
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
