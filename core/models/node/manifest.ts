// The manifest of an installed model, `<cache>/models/<id>/pinpoint-model.json`: written last,
// by an atomic rename, once every file of the model is in place and verified. A folder without
// it is an unfinished download and is never used. Also the lock that keeps two pulls of one model
// from writing the same files.

import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExpectedError, ErrorReason } from '../../base/common/errors.js';
import type { EmbeddingInfo, ModelFormat, ModelKind } from '../common/catalog.js';

/** Name of the manifest file in a model's folder. */
export const MANIFEST_NAME = 'pinpoint-model.json';
const LOCK_NAME = '.pinpoint-lock';

/** Where an installed model came from. */
export type ModelSource =
  | { readonly type: 'catalog'; readonly catalogId: string; readonly repository?: string; readonly revision?: string }
  | { readonly type: 'import'; readonly path: string; readonly mode: 'copy' | 'link' };

/** One file of an installed model. */
export interface ManifestFile {
  /** Path inside the model's folder, `/`-separated. */
  readonly path: string;
  readonly size: number;
  /** sha256 (hex) when it was computed (downloads), null for imported files. */
  readonly sha256: string | null;
}

/** What `pinpoint-model.json` holds. */
export interface ModelManifest {
  readonly schemaVersion: 1;
  readonly id: string;
  readonly displayName: string;
  readonly kind: ModelKind;
  readonly format: ModelFormat;
  readonly source: ModelSource;
  /** The file a runtime opens, relative to the folder; `.` for a folder model. */
  readonly primary: string;
  readonly files: readonly ManifestFile[];
  /** ISO time of installation. */
  readonly installedAt: string;
  readonly license?: string;
  readonly embedding?: EmbeddingInfo;
}

/** The manifest in `folder`, or undefined when there is none (an unfinished download) or it is unreadable. */
export async function readManifest(folder: string): Promise<ModelManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_NAME), 'utf8')) as ModelManifest;
    const valid = manifest?.schemaVersion === 1 && typeof manifest.id === 'string' && typeof manifest.primary === 'string' && Array.isArray(manifest.files);
    return valid ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the manifest of `folder` atomically (temporary file, then rename). */
export async function writeManifest(folder: string, manifest: ModelManifest): Promise<void> {
  const path = join(folder, MANIFEST_NAME);
  await writeFile(`${path}.tmp`, JSON.stringify(manifest, null, 2) + '\n');
  await rename(`${path}.tmp`, path);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the lock of `folder`, when a live process holds it. */
export async function lockHolder(folder: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(join(folder, LOCK_NAME), 'utf8')).trim());
    return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock of a model folder for this process; a lock left by a dead process is taken over.
 * @returns a function that releases it.
 * @throws ExpectedError (Limit) when another live process holds it.
 */
export async function lockFolder(folder: string, what: string): Promise<() => Promise<void>> {
  const path = join(folder, LOCK_NAME);
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await lockHolder(folder);
      if (holder !== undefined) throw new ExpectedError(ErrorReason.Limit, `${what} is already running in process ${holder}; wait for it to finish`);
      await rm(path, { force: true });
    }
  }
  throw new ExpectedError(ErrorReason.Limit, `cannot lock ${folder} for ${what}`);
}
