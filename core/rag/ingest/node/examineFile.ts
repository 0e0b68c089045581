// The checks of one regular file found by the walker: binary extensions, the size limit of its
// kind (from stat alone: a file over the limit is never opened), and a sniff of its first 8 KB for
// binary content, minified bundles and the `#!` line of scripts.

import { BINARY_EXTENSIONS, extensionOf, fileTypeOf } from '../common/fileKinds.js';
import { formatBytes, skipOf, type SkippedFile, type SkipReason } from '../common/skips.js';
import { looksBinary, looksMinified, SNIFF_BYTES } from '../common/textDecoding.js';
import { sizeLimitOf, type ResolvedWalkOptions, type WalkEntry } from '../common/walkOptions.js';
import { errorMessage, type WalkFileSystem, type WalkStat } from './walkFileSystem.js';

/** Where a file is: its root, relative path and absolute path. */
export interface FilePlace {
  readonly root: string;
  readonly path: string;
  readonly absolutePath: string;
}

function firstLine(head: Uint8Array): string {
  const end = head.indexOf(10);
  return new TextDecoder().decode(head.subarray(0, end < 0 ? Math.min(head.length, 256) : end));
}

/**
 * A regular file's entry, or the reason it is skipped. `stat` is the file's (a symbolic link's
 * target) when the caller has it already.
 */
export async function examineFile(
  fs: WalkFileSystem, options: ResolvedWalkOptions, place: FilePlace, stat?: WalkStat,
  knownUnchanged?: (root: string, path: string, mtimeMs: number) => boolean,
): Promise<WalkEntry | SkippedFile> {
  const skip = (reason: SkipReason, problem: string): SkippedFile => skipOf(place, reason, problem);
  try {
    stat ??= await fs.stat(place.absolutePath, false);
  } catch (error) {
    return skip('unreadable', `cannot be read (${errorMessage(error)})`);
  }
  const extension = extensionOf(place.path);
  if (BINARY_EXTENSIONS.has(extension)) return skip('binary', `binary file type (.${extension})`);
  let type = fileTypeOf(place.path);
  const limit = sizeLimitOf(type.kind, options);
  if (stat.size > limit) return skip('too-large', `${formatBytes(stat.size)}, over the ${formatBytes(limit)} limit for ${type.kind} files`);
  const trusted = knownUnchanged?.(place.root, place.path, stat.mtimeMs) ?? false;
  if (options.sniffContent && !trusted && type.kind !== 'pdf' && type.kind !== 'docx' && stat.size > 0) {
    let head: Uint8Array;
    try {
      head = await fs.readHead(place.absolutePath, SNIFF_BYTES);
    } catch (error) {
      return skip('unreadable', `cannot be read (${errorMessage(error)})`);
    }
    if (looksBinary(head, stat.size > head.length)) return skip('binary', 'binary content (sniffed from its first bytes)');
    if ((type.language === 'javascript' || type.language === 'css') && looksMinified(head)) return skip('minified', 'minified code (very long lines)');
    if (type.kind === 'text' && head[0] === 0x23 && head[1] === 0x21) type = fileTypeOf(place.path, firstLine(head));
  }
  return { type: 'file', ...place, size: stat.size, mtimeMs: stat.mtimeMs, kind: type.kind, ...(type.language ? { language: type.language } : {}) };
}
