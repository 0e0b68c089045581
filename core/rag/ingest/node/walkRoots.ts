// The walker: from root folders to the files worth indexing, in a deterministic order (per folder:
// its files by name, then its subfolders by name, depth first). It applies nested .gitignore and
// .pinpointignore files, the default excludes and the secret patterns, sniffs the first bytes of
// each file, and never leaves a root: symbolic links out of it, loops and duplicates are skipped.

import { join, resolve, sep } from 'node:path';
import { ArgumentError, throwIfAborted } from '../../../base/common/errors.js';
import { DEFAULT_EXCLUDES } from '../common/defaultExcludes.js';
import { IgnoreRules, ignoreLayer, layerVerdict, type IgnoreLayer } from '../common/ignoreRules.js';
import { mapInOrder } from '../common/mapInOrder.js';
import { skipOf, type SkippedFile, type SkipReason } from '../common/skips.js';
import { resolveWalkOptions, type ResolvedWalkOptions, type WalkEntry, type WalkOptions } from '../common/walkOptions.js';
import { examineFile } from './examineFile.js';
import { errorMessage, isMissing, nodeFileSystem, type WalkFileSystem, type WalkStat } from './walkFileSystem.js';

/** A skip reported by the walker. */
export type WalkSkip = SkippedFile;

/** WalkOptions plus the file system to walk (tests inject failures through it). */
export interface NodeWalkOptions extends WalkOptions {
  /** Default: node:fs. */
  readonly fileSystem?: WalkFileSystem;
  /**
   * True for a file the caller has seen with this modification time before (an index's unchanged
   * file): its content sniff is skipped, since its bytes passed it then. Default: none trusted.
   */
  readonly knownUnchanged?: (root: string, path: string, mtimeMs: number) => boolean;
}

/** File-system calls in flight at once within one folder. */
const CONCURRENCY = 32;

/** Names of ignore files, by the option that enables them. */
const IGNORE_FILES = [
  ['.gitignore', 'gitignore'],
  ['.pinpointignore', 'pinpointignore'],
] as const;

/** A folder waiting to be walked. */
interface Folder {
  readonly absolutePath: string;
  /** Relative to the root, "" for the root. */
  readonly path: string;
  /** Canonical path: where loops and escapes are checked. */
  readonly realPath: string;
  readonly rules: IgnoreRules;
  /** The enclosing folder (for loop detection). */
  readonly parent?: Folder;
  /** Entered through a symbolic link. */
  readonly linked?: boolean;
}

/** What one root's walk shares across its folders. */
interface RootWalk {
  readonly root: string;
  readonly rootReal: string;
  readonly options: ResolvedWalkOptions;
  readonly fs: WalkFileSystem;
  readonly secrets?: IgnoreLayer;
  /** Canonical paths of folders entered through a symbolic link. */
  readonly linkedFolders: Set<string>;
  readonly knownUnchanged?: NodeWalkOptions['knownUnchanged'];
}

/** What examining one name in a folder leads to. */
type Outcome = WalkEntry | SkippedFile | Folder | undefined;

/**
 * Walks `roots` and yields the files to index and the files skipped with a reason. Ignored files
 * are not reported unless `reportIgnored` is set. Throws ArgumentError when a root is not a
 * folder, CancelledError when `signal` fires.
 */
export async function* walkRoots(roots: readonly string[], options: NodeWalkOptions = {}, signal?: AbortSignal): AsyncGenerator<WalkEntry | WalkSkip> {
  const fs = options.fileSystem ?? nodeFileSystem;
  const resolved = resolveWalkOptions(options, process.platform === 'darwin' || process.platform === 'win32');
  const walks = [];
  for (const root of roots) walks.push(await openRoot(resolve(root), resolved, fs, options.knownUnchanged));
  for (const { walk, rules } of walks) {
    const pending: Folder[] = [{ absolutePath: walk.root, path: '', realPath: walk.rootReal, rules }];
    for (let folder = pending.pop(); folder; folder = pending.pop()) {
      throwIfAborted(signal, 'walk');
      if (folder.linked && walk.linkedFolders.has(folder.realPath)) {
        yield skipOf({ root: walk.root, ...folder }, 'symlink-duplicate', `symbolic link to ${folder.realPath}, already walked through another link`);
        continue;
      }
      if (folder.linked) walk.linkedFolders.add(folder.realPath);
      const subfolders: Folder[] = [];
      for (const outcome of await examineFolder(walk, folder)) {
        if (outcome === undefined) continue;
        if ('rules' in outcome) subfolders.push(outcome);
        else yield outcome;
      }
      for (let i = subfolders.length - 1; i >= 0; i--) pending.push(subfolders[i]);
    }
  }
}

/** Checks a root and builds its root-level rules (defaults, .git/info/exclude, settings). */
async function openRoot(
  root: string, options: ResolvedWalkOptions, fs: WalkFileSystem, knownUnchanged?: NodeWalkOptions['knownUnchanged'],
): Promise<{ walk: RootWalk; rules: IgnoreRules }> {
  let stat: WalkStat;
  try {
    stat = await fs.stat(root, true);
  } catch (error) {
    throw new ArgumentError(`Root folder ${root} cannot be read: ${errorMessage(error)}`);
  }
  if (stat.type !== 'directory') throw new ArgumentError(`Root ${root} is not a folder`);
  const rootReal = await fs.realpath(root);
  const layers: IgnoreLayer[] = [];
  if (options.defaultExcludes) layers.push(ignoreLayer('', 'the default excludes', DEFAULT_EXCLUDES, options.ignoreCase));
  if (options.gitignore) {
    const text = await fs.readText(join(root, '.git', 'info', 'exclude')).catch(() => '');
    if (text) layers.push(ignoreLayer('', '.git/info/exclude', text, options.ignoreCase));
  }
  const top = options.exclude.length > 0 ? ignoreLayer('', 'the exclude setting', options.exclude, options.ignoreCase) : undefined;
  const secrets = options.excludeSecrets ? ignoreLayer('', 'the secret patterns', options.secretPatterns, options.ignoreCase) : undefined;
  const walk: RootWalk = { root, rootReal, options, fs, secrets, linkedFolders: new Set(), knownUnchanged };
  return { walk, rules: new IgnoreRules(layers, top) };
}

/** Reads one folder: its ignore files, then every name in it, in name order. */
async function examineFolder(walk: RootWalk, folder: Folder): Promise<Outcome[]> {
  let dirents;
  try {
    dirents = await walk.fs.readdir(folder.absolutePath);
  } catch (error) {
    const where = { root: walk.root, path: folder.path, absolutePath: folder.absolutePath };
    return [skipOf(where, 'unreadable', `folder cannot be read (${errorMessage(error)})`)];
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rules = folder.rules.with(await readIgnoreFiles(walk, folder, new Set(dirents.map((d) => d.name))));
  const inner: Folder = { ...folder, rules };
  return mapInOrder(dirents, CONCURRENCY, (dirent) => examine(walk, inner, dirent.name, dirent.type));
}

async function readIgnoreFiles(walk: RootWalk, folder: Folder, names: ReadonlySet<string>): Promise<IgnoreLayer[]> {
  const layers: IgnoreLayer[] = [];
  for (const [name, option] of IGNORE_FILES) {
    if (!walk.options[option] || !names.has(name)) continue;
    const text = await walk.fs.readText(join(folder.absolutePath, name)).catch(() => '');
    const source = folder.path ? `${name} in ${folder.path}` : name;
    if (text) layers.push(ignoreLayer(folder.path, source, text, walk.options.ignoreCase));
  }
  return layers;
}

/** Decides what one name in a folder is: a file to index, a skip, a folder to walk, or nothing. */
async function examine(walk: RootWalk, folder: Folder, name: string, type: WalkStat['type']): Promise<Outcome> {
  const path = folder.path ? `${folder.path}/${name}` : name;
  const absolutePath = join(folder.absolutePath, name);
  const where = { root: walk.root, path, absolutePath };
  const skip = (reason: SkipReason, problem: string): SkippedFile => skipOf(where, reason, problem);
  let stat: WalkStat | undefined;
  let realPath = `${folder.realPath}${sep}${name}`;
  if (type === 'symlink') {
    try {
      stat = await walk.fs.stat(absolutePath, true);
      realPath = await walk.fs.realpath(absolutePath);
    } catch (error) {
      if (!isMissing(error)) return skip('unreadable', `symbolic link cannot be resolved (${errorMessage(error)})`);
      const ignored = ignoredOr(walk, folder.rules, path, false, skip);
      return ignored === undefined ? skip('broken-symlink', 'symbolic link to a missing target') : (ignored ?? undefined);
    }
  }
  const isDirectory = (stat?.type ?? type) === 'directory';
  const ignored = ignoredOr(walk, folder.rules, path, isDirectory, skip);
  if (ignored !== undefined) return ignored ?? undefined;
  if (walk.secrets && layerVerdict(walk.secrets, path, isDirectory)) {
    return skip('secret', isDirectory ? 'folder looks like it holds secrets' : 'looks like a secret (set excludeSecrets: false to index it)');
  }
  if (type === 'symlink') {
    const problem = checkLink(walk, folder, realPath, isDirectory);
    if (problem) return skip(problem[0], problem[1]);
    if (!walk.options.followSymlinks) {
      return walk.options.reportIgnored ? skip('ignored', 'symbolic link not followed (followSymlinks is off)') : undefined;
    }
  }
  if (isDirectory) return { absolutePath, path, realPath, rules: folder.rules, parent: folder, linked: type === 'symlink' };
  if ((stat?.type ?? type) !== 'file') return skip('not-regular-file', 'not a regular file (a FIFO, socket or device): not opened');
  return examineFile(walk.fs, walk.options, where, stat, walk.knownUnchanged);
}

/**
 * The ignore verdict of a path: undefined when included; null when ignored silently; a skip
 * "ignored" when ignored and `reportIgnored` is set.
 */
function ignoredOr(
  walk: RootWalk,
  rules: IgnoreRules,
  path: string,
  isDirectory: boolean,
  skip: (reason: SkipReason, problem: string) => SkippedFile,
): SkippedFile | null | undefined {
  const layer = rules.ignoredBy(path, isDirectory);
  if (!layer) return undefined;
  return walk.options.reportIgnored ? skip('ignored', `ignored by ${layer.source}`) : null;
}

/** Why a symbolic link may not be followed, or undefined when it may. */
function checkLink(walk: RootWalk, folder: Folder, realPath: string, isDirectory: boolean): [SkipReason, string] | undefined {
  const inside = walk.rootReal.endsWith(sep) ? walk.rootReal : walk.rootReal + sep;
  if (realPath !== walk.rootReal && !realPath.startsWith(inside)) {
    return ['symlink-outside-root', `symbolic link to ${realPath}, outside the root`];
  }
  if (!isDirectory) return undefined;
  for (let f: Folder | undefined = folder; f; f = f.parent) {
    if (f.realPath === realPath) return ['symlink-loop', `symbolic link loop: points to its enclosing folder ${f.path || '(the root)'}`];
  }
  return undefined;
}
