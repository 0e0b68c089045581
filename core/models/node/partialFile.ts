// The on-disk state of an unfinished download: `<dest>.part` holds the bytes received so far and
// `<dest>.part.json` the URL they came from and the server's validators (ETag, Last-Modified), so
// that a later run can ask for the rest of the same version with Range + If-Range. Also the
// hashing of files already on disk: the kept bytes of a .part, and git blob ids.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { Validators } from '../common/httpHeaders.js';

/** What is remembered about a .part file. */
export interface PartialState {
  /** The URL that was asked for (before redirects). */
  readonly url: string;
  /** Validators of the response the bytes came from. */
  readonly validators: Validators;
  /** The file's full size, when the server stated it. */
  readonly total?: number;
}

/** Paths of the files of an unfinished download of `destination`. */
export function partialPaths(destination: string): { readonly part: string; readonly state: string } {
  return { part: `${destination}.part`, state: `${destination}.part.json` };
}

/** The saved state, or undefined when none is saved or it is unreadable. */
export async function readPartialState(path: string): Promise<PartialState | undefined> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as PartialState;
    return state && typeof state.url === 'string' && typeof state.validators === 'object' ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the state of a .part file. */
export async function writePartialState(path: string, state: PartialState): Promise<void> {
  await writeFile(path, JSON.stringify(state) + '\n');
}

/** Size of a file, 0 when it does not exist. */
export async function sizeOrZero(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** Deletes a .part file and its state. */
export async function removePartial(destination: string): Promise<void> {
  const { part, state } = partialPaths(destination);
  await rm(part, { force: true });
  await rm(state, { force: true });
}

/** Feeds the first `length` bytes of a file into `hash`. */
export async function hashPrefix(path: string, length: number, hash: Hash, signal?: AbortSignal): Promise<void> {
  if (length === 0) return;
  const stream = createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  for await (const chunk of stream) hash.update(chunk as Buffer);
}

/** sha256 (hex) of a whole file. */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await hashPrefix(path, await sizeOrZero(path), hash, signal);
  return hash.digest('hex');
}

/** Git blob id of a file: sha1 of `blob <size>\0` followed by its bytes, as Hugging Face's ETag of small files. */
export async function gitBlobSha1OfFile(path: string): Promise<string> {
  const size = await sizeOrZero(path);
  const hash = createHash('sha1').update(`blob ${size}\0`);
  await hashPrefix(path, size, hash);
  return hash.digest('hex');
}
