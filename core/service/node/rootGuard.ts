// The service reads only inside the folders the user indexed. Every path a request names, and
// every result before it leaves, is checked against the corpus's roots: first by its text (no
// "..", inside a root), then after realpath (a symbolic link inside a root that points out of
// it is refused). A refusal is a ServiceError "forbidden" that names the path.

import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ServiceError } from '../common/errors.js';

/** A root as recorded for a corpus, and its real path. */
export interface GuardedRoot {
  readonly root: string;
  readonly real: string;
}

/** A path found inside a root. */
export interface PlaceInRoot {
  /** The root, as recorded. */
  readonly root: string;
  /** Path relative to the root, "/" separators. */
  readonly path: string;
  /** The real absolute path of the file. */
  readonly real: string;
}

/** True when `path` is `folder` or inside it (both absolute and normalized). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The roots with their real paths (a root that no longer exists keeps its recorded path). */
export async function guardRoots(roots: readonly string[]): Promise<GuardedRoot[]> {
  return Promise.all(roots.map(async (root) => ({ root, real: await realpath(root).catch(() => resolve(root)) })));
}

/** Real path of `path`; for a path that does not exist, undefined. */
async function realOrMissing(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function forbidden(path: string, why: string): ServiceError {
  return new ServiceError('forbidden', `${JSON.stringify(path)} ${why}; the service reads only inside the indexed folders.`);
}

/**
 * Finds `path` (absolute, or relative to `base`) inside one of `roots`, following symlinks.
 * @throws ServiceError forbidden when it is outside every root (by text or after realpath),
 * not-found when it does not exist.
 */
export async function resolveInsideRoots(path: string, roots: readonly GuardedRoot[], base?: GuardedRoot): Promise<PlaceInRoot> {
  if (!isAbsolute(path) && !base) throw new ServiceError('bad-request', `${JSON.stringify(path)} is relative: give an absolute path, or the root it is relative to`);
  const absolute = isAbsolute(path) ? resolve(path) : resolve(base!.root, path);
  const candidates = base ? [base] : roots;
  const lexical = candidates.find((r) => isInside(r.root, absolute) || isInside(r.real, absolute));
  if (!lexical) throw forbidden(path, 'is outside the indexed folders');
  const real = await realOrMissing(absolute);
  if (real === undefined) throw new ServiceError('not-found', `No file ${JSON.stringify(path)} in ${lexical.root}.`);
  if (!isInside(lexical.real, real)) throw forbidden(path, 'leads out of the indexed folders (a symbolic link)');
  return { root: lexical.root, path: relative(lexical.real, real).split(sep).join('/'), real };
}

/**
 * Checks an indexed result's place before it leaves the service: its root is one of `roots`, its
 * path stays inside it by text and, when the file exists, after realpath. False means drop it.
 */
export async function isResultInsideRoots(root: string, path: string, roots: readonly GuardedRoot[]): Promise<boolean> {
  const guarded = roots.find((r) => r.root === root || r.real === root);
  if (!guarded || isAbsolute(path) || path.split(/[\\/]/).includes('..')) return false;
  const real = await realOrMissing(resolve(guarded.root, path));
  return real === undefined ? isInside(guarded.root, resolve(guarded.root, path)) : isInside(guarded.real, real);
}

/**
 * Checks a path glob of a search filter: relative to a root, without "..", a drive letter or a
 * leading slash.
 * @throws ServiceError forbidden naming the glob.
 */
export function checkRelativeGlob(glob: string): void {
  if (isAbsolute(glob) || /^[\\/]/.test(glob) || /^[A-Za-z]:/.test(glob)) throw forbidden(glob, 'is an absolute path');
  if (glob.split(/[\\/]/).includes('..')) throw forbidden(glob, 'climbs out of the root with ".."');
}

/**
 * The roots of a filter, each checked to be one of the corpus's roots (after realpath).
 * @throws ServiceError forbidden naming a folder that is not an indexed root.
 */
export async function checkFilterRoots(requested: readonly string[], roots: readonly GuardedRoot[]): Promise<string[]> {
  const out: string[] = [];
  for (const folder of requested) {
    const real = await realpath(folder).catch(() => resolve(folder));
    const match = roots.find((r) => r.root === resolve(folder) || r.real === real);
    if (!match) throw forbidden(folder, 'is not an indexed root of this corpus');
    out.push(match.root);
  }
  return out;
}
