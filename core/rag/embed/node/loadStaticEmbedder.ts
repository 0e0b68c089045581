// Loads the static embedders from disk: model2vec folders (native, sentence-transformers and
// nested StaticEmbedding layouts, as the reference loaders resolve them) and GloVe folders
// (vectors.f16.bin + vocab.txt). Ids carry the folder name, a content hash and the options.

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError, ModelFileError } from '../../../base/common/errors.js';
import { FileByteSource } from '../../../base/node/fileByteSource.js';
import { formatEmbedderId } from '../common/embedderId.js';
import { DEFAULT_SIF_A, GLOVE_MAX_TOKENS, createGloveEmbedder, type GloveWeighting } from '../common/glove.js';
import type { StaticEmbedder } from '../common/StaticEmbedder.js';
import { folderName, hashModelFiles, isFile, readJsonFile, readOptionalJsonFile, requireFolder } from './modelFiles.js';

/** Name of the bundled GloVe folder (the default embedder's vectors). */
export const GLOVE_FOLDER_NAME = 'glove100d-top20k';

/** Options of loadModel2VecEmbedder. */
export interface Model2VecLoadOptions {
  /** Tokens per text. Default 512. */
  readonly maxTokens?: number;
  /** Overrides the model's `normalize`. */
  readonly normalize?: boolean;
}

/** Options of loadGloveEmbedder. */
export interface GloveLoadOptions {
  /** Default 'sif'. */
  readonly weighting?: GloveWeighting;
  /** SIF's a. Default 1e-4. */
  readonly sifA?: number;
  /** Words per text. Default 2048. */
  readonly maxTokens?: number;
}

/** Where the model2vec files of a folder are. */
interface Model2VecLayout {
  readonly folder: string;
  readonly configFile: string;
}

async function resolveModel2VecLayout(folder: string): Promise<Model2VecLayout> {
  const has = (name: string, at = folder) => isFile(join(at, name));
  if ((await has('model.safetensors')) && (await has('tokenizer.json'))) {
    if (await has('config.json')) return { folder, configFile: join(folder, 'config.json') };
    if (await has('config_sentence_transformers.json')) return { folder, configFile: join(folder, 'config_sentence_transformers.json') };
  }
  // sentence-transformers: modules.json names a StaticEmbedding module in a subfolder.
  const modules = await readOptionalJsonFile<{ type?: string; path?: string }[]>(join(folder, 'modules.json'));
  const module = Array.isArray(modules) ? modules.find((m) => m?.type?.endsWith('StaticEmbedding') && m.path) : undefined;
  if (module?.path) {
    const inner = resolve(folder, module.path);
    if (!inner.startsWith(resolve(folder))) throw new ModelFileError(join(folder, 'modules.json'), `module path "${module.path}" leaves the model folder`);
    if ((await has('model.safetensors', inner)) && (await has('tokenizer.json', inner))) {
      const own = join(inner, 'config.json');
      return { folder: inner, configFile: (await isFile(own)) ? own : join(folder, 'config_sentence_transformers.json') };
    }
  }
  throw new ArgumentError(
    `no model2vec model in ${folder}: expected model.safetensors, tokenizer.json and config.json ` +
      '(model2vec) or config_sentence_transformers.json (sentence-transformers), or a modules.json naming a StaticEmbedding folder',
  );
}

/** Loads a model2vec model folder as a static embedder. */
export async function loadModel2VecEmbedder(folder: string, options: Model2VecLoadOptions = {}): Promise<StaticEmbedder> {
  await requireFolder(folder, 'model2vec model');
  const layout = await resolveModel2VecLayout(folder);
  const config = (await readOptionalJsonFile<Record<string, unknown>>(layout.configFile)) ?? {};
  const tokenizerFile = join(layout.folder, 'tokenizer.json');
  const version = await hashModelFiles(layout.folder, ['model.safetensors', 'tokenizer.json']);
  // Loaded on demand: model2vec tokenizes with transformers.js, whose import loads onnxruntime
  // (~150 MB of RSS) that the GloVe embedder never needs.
  const { MODEL2VEC_MAX_TOKENS, createModel2VecEmbedder } = await import('../common/model2vec.js');
  const maxTokens = options.maxTokens ?? MODEL2VEC_MAX_TOKENS;
  const normalize = options.normalize ?? config.normalize === true;
  const id = formatEmbedderId({ kind: 'static:model2vec', name: folderName(folder), version, options: { maxTokens, normalize } });
  const model = await FileByteSource.open(join(layout.folder, 'model.safetensors'));
  try {
    const tokenizerJson = await readJsonFile(tokenizerFile);
    return await createModel2VecEmbedder({ model, tokenizerJson, tokenizerFile, config }, { id, maxTokens, normalize });
  } finally {
    await model.close();
  }
}

/** Loads a GloVe folder (vectors.f16.bin + vocab.txt) as a static embedder. */
export async function loadGloveEmbedder(folder: string, options: GloveLoadOptions = {}): Promise<StaticEmbedder> {
  await requireFolder(folder, 'GloVe vectors');
  const vectorsFile = join(folder, 'vectors.f16.bin');
  const vocabularyFile = join(folder, 'vocab.txt');
  for (const file of [vectorsFile, vocabularyFile]) {
    if (!(await isFile(file))) throw new ArgumentError(`no GloVe vectors in ${folder}: ${file} is missing (expected vectors.f16.bin and vocab.txt)`);
  }
  const weighting = options.weighting ?? 'sif';
  const sifA = weighting === 'sif' ? (options.sifA ?? DEFAULT_SIF_A) : undefined;
  const maxTokens = options.maxTokens ?? GLOVE_MAX_TOKENS;
  const version = await hashModelFiles(folder, ['vectors.f16.bin', 'vocab.txt']);
  const id = formatEmbedderId({ kind: 'static:glove', name: folderName(folder), version, options: { weighting, a: sifA, maxTokens } });
  const [vectors, vocabulary] = await Promise.all([readFile(vectorsFile), readFile(vocabularyFile, 'utf8')]);
  return createGloveEmbedder({ vectors: new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.length), vectorsFile, vocabulary, vocabularyFile }, { id, weighting, sifA, maxTokens });
}

/**
 * The bundled GloVe folder: $PINPOINT_GLOVE_DIR, else resources/embed/glove100d-top20k or
 * ../shared/data/embed/glove100d-top20k beside any folder above this module (sources or bundle).
 */
export async function findGloveFolder(): Promise<string | undefined> {
  const fromEnv = process.env.PINPOINT_GLOVE_DIR;
  if (fromEnv) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, 'resources', 'embed', GLOVE_FOLDER_NAME), join(dir, '..', 'shared', 'data', 'embed', GLOVE_FOLDER_NAME)]) {
      if (await isFile(join(candidate, 'vocab.txt'))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
