// Import of a model already on disk into the cache: a GGUF file (checked by its header) or a
// model folder (checked by config.json, tokenizer and weights; symlinks, as in a Hugging Face
// cache snapshot, are followed). Files are hard-linked when the cache is on the same file system
// (no space used; the cache then shares the file with its original) or copied. Everything goes
// into a staging folder that is renamed into place with its manifest, so a failed import leaves
// nothing half done.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ArgumentError } from '../../base/common/errors.js';
import { findCatalogEntry, type ModelKind } from '../common/catalog.js';
import { isModelId, modelIdFromName } from '../common/modelId.js';
import { writeManifest, type ModelManifest } from './manifest.js';
import { checkGgufFile, inspectModelFolder, listFolderFiles, type FolderFile } from './modelFiles.js';
import { catalogOf, modelsFolder, type ModelListEntry, type ModelStoreOptions } from './modelStore.js';

/** How to bring the files in: `link` (hard link), `copy`, or `auto` (link, else copy). */
export type ImportMode = 'auto' | 'link' | 'copy';

/** Options of importModel. */
export interface ImportOptions extends ModelStoreOptions {
  /** Id in the cache. Default: made from the file or folder name. */
  readonly id?: string;
  /** Override the guessed kind (GGUF: chat; folder: from its files). */
  readonly kind?: ModelKind;
  /** Default `auto`. */
  readonly mode?: ImportMode;
}

/** Links or copies one file; returns what was done. */
async function bring(source: string, target: string, mode: ImportMode): Promise<'link' | 'copy'> {
  await mkdir(dirname(target), { recursive: true });
  if (mode !== 'copy') {
    try {
      await link(source, target);
      return 'link';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (mode === 'link' || !['EXDEV', 'EPERM', 'EACCES', 'ENOTSUP', 'EMLINK', 'ENOSYS'].includes(code ?? '')) {
        throw new ArgumentError(`Cannot hard-link ${source} into the cache (${code}); use copy instead.`);
      }
    }
  }
  await copyFile(source, target);
  return 'copy';
}

/** The files to import and what they are. */
async function examine(path: string, kind: ModelKind | undefined): Promise<{ files: FolderFile[]; kind: ModelKind; gguf: boolean }> {
  const info = await stat(path);
  if (info.isFile()) {
    await checkGgufFile(path);
    return { files: [{ path: basename(path), source: await realpath(path), size: info.size }], kind: kind ?? 'chat', gguf: true };
  }
  if (!info.isDirectory()) throw new ArgumentError(`Cannot import ${path}: not a file or folder.`);
  const files = await listFolderFiles(path);
  const inspected = await inspectModelFolder(path, files);
  return { files, kind: kind ?? inspected.kind, gguf: false };
}

/**
 * Imports a GGUF file or a model folder into the cache as an installed model.
 * @throws ArgumentError for a missing path, a bad or taken id; ModelFileError for a file that is
 * not a GGUF or a folder that is not a model.
 */
export async function importModel(path: string, options: ImportOptions = {}): Promise<Extract<ModelListEntry, { status: 'installed' }>> {
  const source = resolve(path);
  if (!existsSync(source)) throw new ArgumentError(`Cannot import ${source}: no such file or folder.`);
  const id = options.id ?? modelIdFromName(basename(source));
  if (!isModelId(id)) throw new ArgumentError(`Invalid model id "${id}": use lowercase letters, digits, ".", "_" and "-" (at most 100).`);
  const root = modelsFolder(options);
  const folder = join(root, id);
  if (existsSync(folder)) throw new ArgumentError(`A model "${id}" is already in ${root}. Choose another id (--id) or remove it first (pinpoint models rm ${id}).`);
  if (findCatalogEntry(await catalogOf(options), id)) {
    throw new ArgumentError(`"${id}" is the id of a catalog model (pinpoint models pull ${id} downloads it verified). Choose another id (--id).`);
  }
  const examined = await examine(source, options.kind);
  const staging = join(root, `.import-${id}-${randomBytes(4).toString('hex')}`);
  try {
    const modes = new Set<'link' | 'copy'>();
    for (const file of examined.files) modes.add(await bring(file.source, join(staging, ...file.path.split('/')), options.mode ?? 'auto'));
    const manifest: ModelManifest = {
      schemaVersion: 1,
      id,
      displayName: basename(source),
      kind: examined.kind,
      format: examined.gguf ? 'gguf' : 'folder',
      source: { type: 'import', path: source, mode: modes.has('copy') ? 'copy' : 'link' },
      primary: examined.gguf ? examined.files[0].path : '.',
      files: examined.files.map((f) => ({ path: f.path, size: f.size, sha256: null })),
      installedAt: new Date().toISOString(),
    };
    await writeManifest(staging, manifest);
    await rename(staging, folder);
    const bytes = examined.files.reduce((sum, f) => sum + f.size, 0);
    const { displayName, kind, format, installedAt, primary } = manifest;
    return { status: 'installed', id, displayName, kind, format, path: primary === '.' ? folder : join(folder, primary), folder, bytes, source: manifest.source, installedAt };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
