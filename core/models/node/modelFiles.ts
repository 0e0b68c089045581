// What a model on disk is, checked from its bytes and names before it enters the cache: a GGUF
// file by its header (magic `GGUF`, version 1 to 3), a model folder by its config.json (a JSON
// object), a tokenizer and weights (*.onnx, *.safetensors). A folder's kind is guessed from its
// architectures and sentence-transformers files.

import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ModelFileError } from '../../base/common/errors.js';
import type { ModelKind } from '../common/catalog.js';

/** Checks that `path` starts like a GGUF file. @throws ModelFileError naming the file and what is wrong. */
export async function checkGgufFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(8);
    const { bytesRead } = await handle.read(header, 0, 8, 0);
    if (bytesRead < 8) throw new ModelFileError(path, `not a GGUF file: only ${bytesRead} bytes long`);
    if (header.toString('latin1', 0, 4) !== 'GGUF') {
      throw new ModelFileError(path, `not a GGUF file: it starts with ${JSON.stringify(header.toString('latin1', 0, 4))}, not "GGUF"`);
    }
    const version = header.readUInt32LE(4);
    if (version < 1 || version > 3) {
      const swapped = header.readUInt32BE(4);
      const hint = swapped >= 1 && swapped <= 3 ? ' (a big-endian GGUF, which is not supported)' : '';
      throw new ModelFileError(path, `unsupported GGUF version ${version}${hint}; versions 1 to 3 are read`);
    }
  } finally {
    await handle.close();
  }
}

/** A regular file of a model folder. */
export interface FolderFile {
  /** Path inside the folder, `/`-separated. */
  readonly path: string;
  /** The real file (symlinks resolved, as in a Hugging Face cache snapshot). */
  readonly source: string;
  readonly size: number;
}

const SKIPPED = /^(\.git|\.cache|\.DS_Store|\.pinpoint-lock|.*\.part|.*\.part\.json|pinpoint-model\.json(\.tmp)?)$/;

/** Every regular file under `root`, following symlinks, skipping VCS, cache and partial files. */
export async function listFolderFiles(root: string, under = root): Promise<FolderFile[]> {
  const files: FolderFile[] = [];
  for (const entry of (await readdir(under, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIPPED.test(entry.name)) continue;
    const path = join(under, entry.name);
    const info = await stat(path);
    if (info.isDirectory()) files.push(...(await listFolderFiles(root, path)));
    else if (info.isFile()) files.push({ path: relative(root, path).split(sep).join('/'), source: await realpath(path), size: info.size });
  }
  return files;
}

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer.model', 'vocab.txt'];
const WEIGHTS = /\.(onnx|safetensors)$/;

/**
 * Checks that `root` is a model folder and guesses its kind.
 * @throws ModelFileError when config.json is missing or not a JSON object, or there is no tokenizer or no weights.
 */
export async function inspectModelFolder(root: string, files: readonly FolderFile[]): Promise<{ kind: ModelKind }> {
  const names = new Set(files.map((f) => f.path));
  const configPath = join(root, 'config.json');
  if (!names.has('config.json')) throw new ModelFileError(root, 'not a model folder: it has no config.json');
  let config: unknown;
  try {
    config = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (error) {
    throw new ModelFileError(configPath, `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new ModelFileError(configPath, 'should hold a JSON object');
  if (!TOKENIZER_FILES.some((name) => names.has(name))) {
    throw new ModelFileError(root, `not a model folder: it has no tokenizer (${TOKENIZER_FILES.join(', ')})`);
  }
  const weights = files.filter((f) => WEIGHTS.test(f.path));
  if (weights.length === 0) throw new ModelFileError(root, 'not a model folder: it has no weights (*.onnx or *.safetensors)');
  const architectures = (config as { architectures?: unknown }).architectures;
  const causal = Array.isArray(architectures) && architectures.some((a) => typeof a === 'string' && /For(Causal|Conditional)LM$/.test(a));
  const sentenceTransformers = names.has('modules.json') || files.some((f) => f.path.startsWith('1_Pooling/'));
  const onnxOnly = weights.every((f) => f.path.endsWith('.onnx'));
  return { kind: !causal && (sentenceTransformers || onnxOnly) ? 'embedding' : 'chat' };
}
