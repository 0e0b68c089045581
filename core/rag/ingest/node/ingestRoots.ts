// Ingestion end to end: walk the roots, read each file (within its size limit), parse it in the
// parser pool, and yield its document or the reason it is skipped — in the walker's order, with a
// few files in flight so that reading and parsing overlap.

import { throwIfAborted } from '../../../base/common/errors.js';
import type { ParsedDocument } from '../../common/document.js';
import { formatBytes, skipOf, type SkippedFile } from '../common/skips.js';
import { resolveWalkOptions, sizeLimitOf, type ResolvedWalkOptions, type WalkEntry } from '../common/walkOptions.js';
import { ParserPool, type ParserPoolOptions } from './ParserPool.js';
import { nodeFileSystem, type WalkFileSystem } from './walkFileSystem.js';
import { walkRoots, type NodeWalkOptions } from './walkRoots.js';

/** A file turned into a document. */
export interface IngestedFile {
  readonly type: 'document';
  readonly entry: WalkEntry;
  readonly document: ParsedDocument;
}

/** Settings of ingestion: the walker's, plus the parser pool. */
export interface IngestOptions extends NodeWalkOptions {
  /** A pool to parse in (kept open for the caller). Default: a pool made from `parser`, disposed at the end. */
  readonly pool?: ParserPool;
  /** Limits of the pool made when `pool` is not given. */
  readonly parser?: ParserPoolOptions;
}

/** Reads one walked file within its kind's size limit; a failure becomes a skip. */
export async function readEntry(entry: WalkEntry, limits: ResolvedWalkOptions, fs: WalkFileSystem = nodeFileSystem): Promise<Uint8Array | SkippedFile> {
  const limit = sizeLimitOf(entry.kind, limits);
  try {
    return await fs.readFile(entry.absolutePath, limit);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EFBIG') return skipOf(entry, 'too-large', `over the ${formatBytes(limit)} limit for ${entry.kind} files (it grew after the walk)`);
    return skipOf(entry, 'unreadable', `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Parses one file's bytes in the pool; a failure becomes a skip. */
export async function parseEntry(entry: WalkEntry, bytes: Uint8Array, pool: ParserPool, signal?: AbortSignal): Promise<IngestedFile | SkippedFile> {
  const outcome = await pool.parse(entry, bytes, signal);
  return outcome.ok ? { type: 'document', entry, document: outcome.document } : skipOf(entry, outcome.reason, outcome.problem);
}

/** Reads and parses one file; every failure becomes a skip. */
async function ingestFile(entry: WalkEntry, pool: ParserPool, limits: ResolvedWalkOptions, fs: WalkFileSystem, signal: AbortSignal): Promise<IngestedFile | SkippedFile> {
  const bytes = await readEntry(entry, limits, fs);
  return bytes instanceof Uint8Array ? parseEntry(entry, bytes, pool, signal) : bytes;
}

/**
 * Walks `roots` and parses every file to index, yielding documents and skipped files in the
 * walker's order. A file that cannot be read or parsed (or that breaks a parser's time or memory
 * limit) is a skip; nothing stops the run but `signal` (CancelledError) or a bad root (ArgumentError).
 */
export async function* ingestRoots(roots: readonly string[], options: IngestOptions = {}, signal?: AbortSignal): AsyncGenerator<IngestedFile | SkippedFile> {
  const pool = options.pool ?? new ParserPool(options.parser);
  const limits = resolveWalkOptions(options, false);
  const fs = options.fileSystem ?? nodeFileSystem;
  // Ends the parses still in flight when the caller stops early or cancels.
  const stop = new AbortController();
  const parseSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const window = Math.max(2, pool.size * 2);
  const inFlight: Promise<IngestedFile | SkippedFile>[] = [];
  try {
    for await (const item of walkRoots(roots, options, signal)) {
      const next = item.type === 'skip' ? Promise.resolve(item) : ingestFile(item, pool, limits, fs, parseSignal);
      next.catch(() => {}); // rejections are seen when the promise's turn comes
      inFlight.push(next);
      while (inFlight.length >= window) yield await inFlight.shift()!;
    }
    while (inFlight.length > 0) yield await inFlight.shift()!;
    throwIfAborted(signal, 'ingestion');
  } finally {
    stop.abort();
    await Promise.allSettled(inFlight);
    if (!options.pool) await pool.dispose();
  }
}
