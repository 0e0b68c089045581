// The models in the cache: list them (installed ones with sizes and source, unfinished
// downloads flagged), remove one, and resolve what a `--model` flag names - a file or folder
// path, or the id of an installed model - to a local path.

import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ArgumentError, ExpectedError, ErrorReason } from '../../base/common/errors.js';
import { findCatalogEntry, type Catalog, type ModelFormat, type ModelKind } from '../common/catalog.js';
import { isModelId } from '../common/modelId.js';
import type { Environment } from '../common/proxy.js';
import { cacheDirectory, modelsDirectory } from './cacheDir.js';
import { loadCatalog, catalogPath } from './loadCatalog.js';
import { lockHolder, readManifest, type ModelSource } from './manifest.js';

/** Where the cache is and which catalog applies; all optional. */
export interface ModelStoreOptions {
  /** Cache folder. Default: cacheDirectory() (PINPOINT_CACHE_DIR or the OS convention). */
  readonly cacheDir?: string;
  /** Catalog. Default: loadCatalog() (PINPOINT_MODEL_CATALOG or the shipped file). */
  readonly catalog?: Catalog;
  /** Environment for the defaults and for proxies. Default: process.env. */
  readonly env?: Environment;
}

/** A model in the cache. */
export type ModelListEntry =
  | {
      readonly status: 'installed';
      readonly id: string;
      readonly displayName: string;
      readonly kind: ModelKind;
      readonly format: ModelFormat;
      /** What a runtime opens: the GGUF file, or the folder of a folder model. */
      readonly path: string;
      readonly folder: string;
      /** Bytes of its files (as recorded when installed). */
      readonly bytes: number;
      readonly source: ModelSource;
      readonly installedAt: string;
    }
  | {
      /** An unfinished download (no manifest): `pinpoint models pull <id>` finishes it. */
      readonly status: 'incomplete';
      readonly id: string;
      readonly folder: string;
      readonly bytes: number;
    };

/** The models folder of the options' cache. */
export function modelsFolder(options: ModelStoreOptions = {}): string {
  return modelsDirectory(options.cacheDir ?? cacheDirectory({ env: options.env ?? process.env }));
}

/** The catalog of the options, loading the default one when none is given. */
export async function catalogOf(options: ModelStoreOptions): Promise<Catalog> {
  return options.catalog ?? loadCatalog(catalogPath(options.env ?? process.env));
}

/** Bytes of all files under `path`. */
async function folderBytes(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) total += await folderBytes(child);
    else if (entry.isFile()) total += (await stat(child)).size;
  }
  return total;
}

/** The installed models and unfinished downloads in the cache, by id. */
export async function listModels(options: ModelStoreOptions = {}): Promise<ModelListEntry[]> {
  const root = modelsFolder(options);
  if (!existsSync(root)) return [];
  const entries: ModelListEntry[] = [];
  for (const dirent of (await readdir(root, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!dirent.isDirectory() || !isModelId(dirent.name)) continue;
    const folder = join(root, dirent.name);
    const manifest = await readManifest(folder);
    if (!manifest) {
      entries.push({ status: 'incomplete', id: dirent.name, folder, bytes: await folderBytes(folder) });
      continue;
    }
    const { id, displayName, kind, format, source, installedAt, primary } = manifest;
    const bytes = manifest.files.reduce((sum, file) => sum + file.size, 0);
    entries.push({ status: 'installed', id, displayName, kind, format, path: primary === '.' ? folder : join(folder, primary), folder, bytes, source, installedAt });
  }
  return entries;
}

function installedIds(entries: readonly ModelListEntry[]): string {
  const ids = entries.filter((e) => e.status === 'installed').map((e) => e.id);
  return ids.length > 0 ? ids.join(', ') : 'none';
}

/**
 * Deletes a model (or an unfinished download) from the cache.
 * @returns the folder removed and the bytes freed.
 * @throws ArgumentError for an id that is not in the cache; ExpectedError while a pull of it runs.
 */
export async function removeModel(id: string, options: ModelStoreOptions = {}): Promise<{ id: string; folder: string; bytes: number }> {
  const folder = join(modelsFolder(options), id);
  if (!isModelId(id) || !existsSync(folder)) {
    throw new ArgumentError(`No model "${id}" in ${modelsFolder(options)}. Installed: ${installedIds(await listModels(options))}.`);
  }
  const holder = await lockHolder(folder);
  if (holder !== undefined) throw new ExpectedError(ErrorReason.Limit, `cannot remove ${id}: process ${holder} is downloading it`);
  const bytes = await folderBytes(folder);
  await rm(folder, { recursive: true, force: true });
  return { id, folder, bytes };
}

/** True when `value` is meant as a path rather than a model id. */
function looksLikePath(value: string): boolean {
  return /[/\\]/.test(value) || value.startsWith('.') || value.startsWith('~') || /\.gguf$/i.test(value);
}

/**
 * What `--model` names, as a local path: an existing file or folder as given (`~` expanded), or
 * the GGUF file / folder of an installed model id.
 * @throws ArgumentError for a path that does not exist or an unknown id (naming the installed
 * ones, and the pull command for a catalog model); ExpectedError for an unfinished download.
 */
export async function resolveModel(idOrPath: string, options: ModelStoreOptions = {}): Promise<string> {
  const expanded = idOrPath.startsWith('~/') || idOrPath === '~' ? join(homedir(), idOrPath.slice(1)) : idOrPath;
  const asPath = resolve(expanded);
  if (existsSync(asPath)) return asPath;
  if (looksLikePath(idOrPath) || !isModelId(idOrPath)) throw new ArgumentError(`No model file or folder at ${asPath}.`);
  const folder = join(modelsFolder(options), idOrPath);
  const manifest = await readManifest(folder);
  if (manifest) return manifest.primary === '.' ? folder : join(folder, manifest.primary);
  if (existsSync(folder)) {
    throw new ExpectedError(ErrorReason.ModelFile, `model ${idOrPath} is not completely downloaded (${folder}); finish it with: pinpoint models pull ${idOrPath}`);
  }
  const catalog = await catalogOf(options);
  if (findCatalogEntry(catalog, idOrPath)) throw new ArgumentError(`Model "${idOrPath}" is not installed. Download it with: pinpoint models pull ${idOrPath}`);
  throw new ArgumentError(`No model file, folder or installed model named "${idOrPath}". Installed: ${installedIds(await listModels(options))}.`);
}
