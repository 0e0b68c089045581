// Download of a catalog model into the cache: each file of the entry goes to
// `<cache>/models/<id>/<path>` through downloadFile (resumable, verified), files already complete
// from an earlier run are checked and kept, the result is sanity-checked (GGUF header, model
// folder), and only then is the manifest written - so a model whose folder has no manifest is an
// unfinished download and is never used. A lock keeps two pulls of one model apart.

import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgumentError, throwIfAborted } from '../../base/common/errors.js';
import { findCatalogEntry, primaryPath, type CatalogEntry, type CatalogFile } from '../common/catalog.js';
import { IntegrityError } from '../common/downloadErrors.js';
import type { DownloadProgress } from '../common/progress.js';
import { downloadFile, type DownloadOptions, type Verification } from './downloadFile.js';
import { lockFolder, readManifest, writeManifest, type ManifestFile, type ModelManifest } from './manifest.js';
import { checkGgufFile, inspectModelFolder, listFolderFiles } from './modelFiles.js';
import { catalogOf, modelsFolder, type ModelStoreOptions } from './modelStore.js';
import { sha256OfFile } from './partialFile.js';

/** Progress of a pull: the current file and the model as a whole. */
export interface PullProgress extends DownloadProgress {
  readonly id: string;
  /** The file being downloaded (path inside the model), its index from 0, and the file count. */
  readonly file: string;
  readonly fileIndex: number;
  readonly fileCount: number;
}

/** Options of pullModel. */
export interface PullOptions extends ModelStoreOptions {
  readonly onProgress?: (progress: PullProgress) => void;
  readonly signal?: AbortSignal;
  /** Accept files that no checksum can verify (`--insecure-no-checksum`). Default false. */
  readonly allowUnverified?: boolean;
  /** Download again even when the model is installed. Default false. */
  readonly force?: boolean;
  /** Passed to downloadFile: retries, timeouts, progress interval, extra CA certificates. */
  readonly download?: Pick<DownloadOptions, 'retries' | 'retryDelayMs' | 'stallTimeoutMs' | 'maxRedirects' | 'progressIntervalMs' | 'ca'>;
}

/** What a pull did. */
export interface PullResult {
  readonly id: string;
  /** The GGUF file, or the folder of a folder model. */
  readonly path: string;
  readonly folder: string;
  readonly bytes: number;
  /** True when the model was installed already and nothing was downloaded. */
  readonly alreadyInstalled: boolean;
  readonly files: readonly (ManifestFile & { readonly verifiedBy: Verification | 'kept' })[];
}

/** Totals for progress: bytes of the files before `index`, and the model's size when known. */
function progressTotals(entry: CatalogEntry, index: number, fileTotal: number | undefined): { before: number; total: number | undefined } {
  const sizes = entry.files.map((f, i) => (i === index ? (f.size ?? fileTotal) : f.size));
  const before = sizes.slice(0, index).reduce<number>((sum, size) => sum + (size ?? 0), 0);
  return { before, total: sizes.every((s) => s !== null && s !== undefined) ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0) : undefined };
}

/** Gets one file into place: keeps a complete earlier copy that checks out (unless `force`), else downloads it. */
async function fetchFile(entry: CatalogEntry, index: number, folder: string, options: PullOptions): Promise<PullResult['files'][number]> {
  const file: CatalogFile = entry.files[index];
  const target = join(folder, ...file.path.split('/'));
  if (existsSync(target) && !options.force) {
    const size = (await stat(target)).size;
    const sha256 = await sha256OfFile(target, options.signal);
    if ((file.size === null || size === file.size) && (file.sha256 === null || sha256 === file.sha256)) {
      return { path: file.path, size, sha256, verifiedBy: 'kept' };
    }
    await rm(target, { force: true });
  }
  const { onProgress } = options;
  const result = await downloadFile(file.url, target, {
    ...options.download,
    sha256: file.sha256,
    size: file.size,
    allowUnverified: options.allowUnverified ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
    env: options.env ?? process.env,
    ...(onProgress
      ? {
          onProgress: (p: DownloadProgress) => {
            const { before, total } = progressTotals(entry, index, p.total);
            const etaSeconds = total !== undefined && p.rate > 0 ? (total - before - p.bytes) / p.rate : p.etaSeconds;
            onProgress({ id: entry.id, file: file.path, fileIndex: index, fileCount: entry.files.length, bytes: before + p.bytes, total, rate: p.rate, etaSeconds });
          },
        }
      : {}),
  });
  return { path: file.path, size: result.bytes, sha256: result.sha256, verifiedBy: result.verifiedBy };
}

/** Checks the downloaded model the way an import would, so an unverified download is still a model. */
async function sanityCheck(entry: CatalogEntry, folder: string): Promise<void> {
  if (entry.format === 'gguf') await checkGgufFile(join(folder, entry.files[0].path));
  else if (entry.kind === 'chat' || entry.files.some((f) => f.path === 'config.json')) await inspectModelFolder(folder, await listFolderFiles(folder));
}

/**
 * Downloads a catalog model into the cache (or finishes an unfinished download).
 * @throws ArgumentError for an id not in the catalog; NetworkError, IntegrityError or
 * CancelledError from the downloads (files already complete are kept for the next try);
 * ExpectedError when another pull of the same model is running.
 */
export async function pullModel(id: string, options: PullOptions = {}): Promise<PullResult> {
  const catalog = await catalogOf(options);
  const entry = findCatalogEntry(catalog, id);
  if (!entry) throw new ArgumentError(`Unknown model "${id}". Should be one of: ${catalog.models.map((m) => m.id).join(', ')}.`);
  const folder = join(modelsFolder(options), entry.id);
  const path = join(folder, primaryPath(entry));
  const installed = await readManifest(folder);
  if (installed && !options.force) {
    const bytes = installed.files.reduce((sum, f) => sum + f.size, 0);
    return { id, path, folder, bytes, alreadyInstalled: true, files: installed.files.map((f) => ({ ...f, verifiedBy: 'kept' as const })) };
  }
  await mkdir(folder, { recursive: true });
  const release = await lockFolder(folder, `pull of ${id}`);
  try {
    if (options.force) await rm(join(folder, 'pinpoint-model.json'), { force: true });
    const files: PullResult['files'][number][] = [];
    for (let i = 0; i < entry.files.length; i++) {
      throwIfAborted(options.signal, `download of ${id}`);
      files.push(await fetchFile(entry, i, folder, options));
    }
    await sanityCheck(entry, folder).catch(async (error: Error) => {
      throw new IntegrityError(`${id}: the downloaded files are not a usable model (${error.message}); remove them with: pinpoint models rm ${id}`);
    });
    const manifest: ModelManifest = {
      schemaVersion: 1, id, displayName: entry.displayName, kind: entry.kind, format: entry.format,
      source: { type: 'catalog', catalogId: entry.id, ...(entry.repository ? { repository: entry.repository } : {}), ...(entry.revision ? { revision: entry.revision } : {}) },
      primary: primaryPath(entry),
      files: files.map(({ path: p, size, sha256 }) => ({ path: p, size, sha256 })),
      installedAt: new Date().toISOString(), license: entry.license,
      ...(entry.embedding ? { embedding: entry.embedding } : {}),
    };
    await writeManifest(folder, manifest);
    return { id, path, folder, bytes: files.reduce((sum, f) => sum + f.size, 0), alreadyInstalled: false, files };
  } finally {
    await release();
    // A pull that failed before any byte arrived leaves no empty folder to list as unfinished.
    if ((await readdir(folder).catch(() => ['?'])).length === 0) await rmdir(folder).catch(() => undefined);
  }
}
