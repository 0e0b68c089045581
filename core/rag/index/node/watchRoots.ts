// Keeps watching root folders and calls `onChange` (debounced) when something in them changes.
// Only the folders the walker includes are watched, one non-recursive watch each, so ignored
// trees such as node_modules cost no watch at all; after each change the set is walked again
// (new folders get watched, vanished ones dropped); a folder created meanwhile is watched as soon
// as its parent reports it, so files put in it are seen too. Runs of `onChange` never overlap:
// changes during a run cause one more run after it.

import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { walkRoots, type NodeWalkOptions } from '../../ingest/node/walkRoots.js';

/** Folders never watched when they appear (the walker excludes them by default anyway). */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.hg', '.svn', '__pycache__', '.venv', 'dist', 'build', 'target']);

export interface WatchOptions {
  /** Quiet time after the last event before `onChange` runs; default 300 ms. */
  readonly debounceMs?: number;
  readonly walk?: NodeWalkOptions;
  /** Stops watching; the returned promise then resolves. */
  readonly signal?: AbortSignal;
}

/** Folders to watch: every root and every folder holding an included file, up to its root. */
async function foldersToWatch(roots: readonly string[], walk: NodeWalkOptions | undefined): Promise<Set<string>> {
  const folders = new Set(roots);
  for await (const item of walkRoots(roots, walk)) {
    if (item.type !== 'file') continue;
    for (let dir = dirname(item.absolutePath); !folders.has(dir); dir = dirname(dir)) {
      folders.add(dir);
      if (dir === dirname(dir)) break;
    }
  }
  return folders;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Watches until `options.signal` fires; resolves then. */
export async function watchRoots(roots: readonly string[], onChange: () => Promise<void>, options: WatchOptions = {}): Promise<void> {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const add = (dir: string): void => {
    if (watchers.has(dir) || stopped) return;
    try {
      const watcher = watch(dir, { persistent: true }, (_event, name) => {
        if (name) watchNewFolder(join(dir, name.toString()));
        schedule();
      });
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
    } catch {
      // The folder vanished between the walk and the watch: the next refresh settles it.
    }
  };

  /** A folder that appeared: watched at once (never the always-excluded ones). */
  function watchNewFolder(path: string): void {
    if (!SKIPPED_FOLDERS.has(basename(path)) && isFolder(path)) add(path);
  }

  const refresh = async (): Promise<void> => {
    const folders = await foldersToWatch(roots, options.walk);
    for (const [dir, watcher] of watchers) {
      if (folders.has(dir) || isFolder(dir)) continue; // an empty new folder stays watched
      watcher.close();
      watchers.delete(dir);
    }
    for (const dir of folders) add(dir);
  };

  const run = async (): Promise<void> => {
    do {
      again = false;
      await onChange();
      await refresh();
    } while (again && !stopped);
    running = undefined;
  };

  function schedule(): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) again = true;
      else running = run();
    }, options.debounceMs ?? 300);
  }

  await refresh();
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) return resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  stopped = true;
  clearTimeout(timer);
  for (const watcher of watchers.values()) watcher.close();
  await running;
}
