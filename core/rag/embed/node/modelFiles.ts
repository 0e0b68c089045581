// Reading model folders from disk for the embedders: JSON files with errors that name the file,
// existence checks, and a content hash of a model's files (the version part of embedder ids).

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ArgumentError, ModelFileError } from '../../../base/common/errors.js';

/** Hex digits of the content hash kept in ids. */
const HASH_DIGITS = 16;

/** True when `path` is an existing regular file. */
export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** Fails with a clear message unless `path` is an existing folder. */
export async function requireFolder(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ArgumentError(`${what} folder not found: ${path}`);
  if (!info.isDirectory()) throw new ArgumentError(`${what} must be a folder, not a file: ${path}`);
}

/** Parses the JSON file at `path`; errors name the file. */
export async function readJsonFile<T = unknown>(path: string): Promise<T> {
  const value = await readOptionalJsonFile<T>(path);
  if (value === undefined) throw new ModelFileError(path, 'is missing');
  return value;
}

/** Parses the JSON file at `path`, or gives undefined when there is no such file. */
export async function readOptionalJsonFile<T = unknown>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelFileError(path, `cannot be read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ModelFileError(path, `is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * SHA-256 over the files (relative name, size and bytes of each, in the order given; a missing
 * file counts as absent), as the first HASH_DIGITS hex digits.
 */
export async function hashModelFiles(folder: string, names: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const name of names) {
    const path = join(folder, name);
    if (!(await isFile(path))) continue;
    hash.update(`${name}\0${(await stat(path)).size}\0`);
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex').slice(0, HASH_DIGITS);
}

/** The folder's own name (model name in ids). */
export function folderName(path: string): string {
  return basename(path.replace(/[\\/]+$/, '')) || path;
}
