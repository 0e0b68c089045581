// Finds what an ONNX embedder needs before its worker starts: the .onnx file for the chosen
// dtype, config.json, the tokenizer files and the sentence-transformers files — from a local
// folder laid out as on the hub (onnx/model.onnx, or model.onnx at the root), or fetched from
// the hub (config and tokenizer files only; the worker's transformers.js downloads the weights).
// Each missing or unreadable file is named in the error. The cross-encoder reranker locates its
// model folder with it too.

import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { ArgumentError, ModelFileError } from '../../../base/common/errors.js';
import { poolingModulePath, type SentenceTransformersFiles } from '../common/onnxSettings.js';
import { folderName, hashModelFiles, isFile, readJsonFile, readOptionalJsonFile, requireFolder } from './modelFiles.js';

/** transformers.js dtypes by the suffix of their file name (model<suffix>.onnx). */
const DTYPE_SUFFIXES: Readonly<Record<string, string>> = {
  fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4', q4f16: '_q4f16', bnb4: '_bnb4',
};

/** Default hub host (transformers.js's own default). */
export const DEFAULT_HUB_HOST = 'https://huggingface.co/';

/** An ONNX embedding model located and its small files read. */
export interface OnnxModelSource {
  /** Short name for ids (folder name, or hub id). */
  readonly name: string;
  /** Names the known-models table is matched against (folder name, config `_name_or_path`, hub id). */
  readonly knownAs: string;
  /** Absolute folder, or hub id. */
  readonly model: string;
  readonly local: boolean;
  readonly revision?: string;
  /** Folder of the .onnx files inside the model ('onnx' or ''). */
  readonly subfolder: string;
  readonly dtype: string;
  /** Content hash of the files used (local), or the hub revision. */
  readonly version: string;
  readonly config: Record<string, unknown>;
  readonly tokenizerJson: unknown;
  readonly tokenizerConfig: Record<string, unknown>;
  readonly sentenceTransformers: SentenceTransformersFiles;
  /** Where the files are, for error messages. */
  readonly where: string;
}

/** The dtypes whose .onnx files exist in `dir`. */
async function onnxDtypes(dir: string): Promise<string[]> {
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  return Object.entries(DTYPE_SUFFIXES).filter(([, suffix]) => names.has(`model${suffix}.onnx`)).map(([dtype]) => dtype);
}

/** Reads the sentence-transformers files of a model; `read` returns undefined for a missing file. */
async function readSentenceTransformers(read: (file: string) => Promise<unknown>): Promise<SentenceTransformersFiles> {
  const modules = await read('modules.json');
  const poolingPath = poolingModulePath(modules) ?? '1_Pooling';
  return { modules, pooling: await read(`${poolingPath}/config.json`), config: await read('config_sentence_transformers.json') };
}

/** Locates the model in a local folder; `dtype` defaults to fp32 when present, else the first found. */
export async function inspectOnnxFolder(folder: string, dtype?: string): Promise<OnnxModelSource> {
  await requireFolder(folder, 'ONNX model');
  let subfolder = 'onnx';
  let dtypes = await onnxDtypes(join(folder, subfolder));
  if (dtypes.length === 0) {
    subfolder = '';
    dtypes = await onnxDtypes(folder);
  }
  if (dtypes.length === 0) {
    throw new ArgumentError(`no ONNX model in ${folder}: expected onnx/model.onnx (or a dtype variant such as onnx/model_quantized.onnx, or model.onnx at the root)`);
  }
  const chosen = dtype ?? (dtypes.includes('fp32') ? 'fp32' : dtypes[0]);
  if (!dtypes.includes(chosen)) throw new ArgumentError(`no ${chosen} ONNX file in ${folder}; found: ${dtypes.join(', ')}`);
  for (const required of ['config.json', 'tokenizer.json']) {
    if (!(await isFile(join(folder, required)))) throw new ModelFileError(join(folder, required), 'is missing (an ONNX model folder needs config.json and tokenizer.json)');
  }
  const optional = (file: string) => readOptionalJsonFile(join(folder, file));
  const sentenceTransformers = await readSentenceTransformers(optional);
  const onnxFile = join(subfolder, `model${DTYPE_SUFFIXES[chosen]}.onnx`);
  const hashed = [onnxFile, `${onnxFile}_data`, 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'modules.json', 'config_sentence_transformers.json', `${poolingModulePath(sentenceTransformers.modules) ?? '1_Pooling'}/config.json`];
  const config = await readJsonFile<Record<string, unknown>>(join(folder, 'config.json'));
  return {
    name: folderName(folder),
    knownAs: `${folderName(folder)} ${String(config._name_or_path ?? '')}`,
    model: folder,
    local: true,
    subfolder,
    dtype: chosen,
    version: await hashModelFiles(folder, hashed),
    config,
    tokenizerJson: await readJsonFile(join(folder, 'tokenizer.json')),
    tokenizerConfig: ((await optional('tokenizer_config.json')) ?? {}) as Record<string, unknown>,
    sentenceTransformers,
    where: folder,
  };
}

/** Options of fetchHubModel. */
export interface HubOptions {
  readonly revision?: string;
  readonly dtype?: string;
  /** Hub host; default DEFAULT_HUB_HOST. */
  readonly host?: string;
}

/**
 * Reads the small files of a hub model (the .onnx file is downloaded later by the worker's
 * transformers.js, into its cache). Needs the network; errors name the URL.
 */
export async function fetchHubModel(id: string, options: HubOptions = {}): Promise<OnnxModelSource> {
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(id)) throw new ArgumentError(`bad hub model id "${id}": expected owner/name`);
  const revision = options.revision ?? 'main';
  const base = `${(options.host ?? DEFAULT_HUB_HOST).replace(/\/?$/, '/')}${id}/resolve/${encodeURIComponent(revision)}/`;
  const read = async (file: string, required = false): Promise<unknown> => {
    const url = base + file;
    const response = await fetch(url).catch((error: Error) => {
      throw new ModelFileError(url, `cannot be fetched (${error.message}; is the hub reachable?)`);
    });
    if (response.status === 404 && !required) return undefined;
    if (!response.ok) throw new ModelFileError(url, `HTTP ${response.status}`);
    try {
      return await response.json();
    } catch (error) {
      throw new ModelFileError(url, `is not valid JSON (${(error as Error).message})`);
    }
  };
  const config = (await read('config.json', true)) as Record<string, unknown>;
  return {
    name: id,
    knownAs: id,
    model: id,
    local: false,
    revision,
    subfolder: 'onnx',
    dtype: options.dtype ?? 'fp32',
    version: revision,
    config,
    tokenizerJson: await read('tokenizer.json', true),
    tokenizerConfig: ((await read('tokenizer_config.json')) ?? {}) as Record<string, unknown>,
    sentenceTransformers: await readSentenceTransformers((file) => read(file)),
    where: base,
  };
}
