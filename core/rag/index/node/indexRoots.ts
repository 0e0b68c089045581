// One indexing run over root folders, incremental and crash-safe. Scan the roots (walker rules:
// ignore files, excludes, secrets, no escapes), then per file: unchanged time -> skip (a stat);
// else read and hash -> unchanged content -> skip; else parse (isolated pool), chunk, embed, and
// queue its rows; rows are written in batches, each file's rows replaced atomically by the store.
// Files gone from the roots (deleted, renamed, now excluded or unreadable) lose their rows once
// the scan is complete. A run killed at any point leaves every file with its old or its new rows;
// the next run redoes what was not written. See README.md.

import { throwIfAborted } from '../../../base/common/errors.js';
import { CancelledError } from '../../../base/common/errors.js';
import type { ParsedDocument } from '../../common/document.js';
import type { Embedder } from '../../common/embedder.js';
import type { ChunkOptions } from '../../chunk/common/options.js';
import { createChunker, type Chunker } from '../../chunk/node/chunker.js';
import type { SkippedFile } from '../../ingest/common/skips.js';
import { resolveWalkOptions, type ResolvedWalkOptions, type WalkEntry } from '../../ingest/common/walkOptions.js';
import { parseEntry, readEntry } from '../../ingest/node/ingestRoots.js';
import { ParserPool, type ParserPoolOptions } from '../../ingest/node/ParserPool.js';
import { walkRoots, type NodeWalkOptions } from '../../ingest/node/walkRoots.js';
import type { RepairReport } from '../../store/node/health.js';
import { ChunkStore } from '../../store/node/ChunkStore.js';
import { textToEmbed, type FileChunks, type FileKey, type IndexedFile } from '../../store/common/schema.js';
import { EtaEstimator, type IndexPhase, type IndexProgress } from '../common/progress.js';
import { PauseGate } from '../common/pauseGate.js';
import { contentHash } from './contentHash.js';

export interface IndexRunOptions {
  /** Absolute root folders. */
  readonly roots: readonly string[];
  /** Database folder. */
  readonly dbDir: string;
  /** Corpus name (one table per corpus and embedder). */
  readonly corpus: string;
  readonly embedder: Embedder;
  readonly walk?: NodeWalkOptions;
  /** A parser pool kept warm across runs (a watcher's); not disposed. Default: a new one. */
  readonly pool?: ParserPool;
  /** Limits of the pool made when `pool` is not given. */
  readonly parser?: ParserPoolOptions;
  /** Chunk sizes (countTokens comes from the embedder). */
  readonly chunk?: Omit<ChunkOptions, 'countTokens'>;
  /** Files written per store commit; default 32. */
  readonly batchFiles?: number;
  /** Files read and parsed ahead of chunking and embedding; default 4. */
  readonly readAhead?: number;
  readonly onProgress?: (progress: IndexProgress) => void;
  /** Minimum milliseconds between progress events (the last one always comes); default 200. */
  readonly progressIntervalMs?: number;
  readonly gate?: PauseGate;
  readonly signal?: AbortSignal;
}

export interface IndexReport {
  readonly corpus: string;
  readonly table: string;
  readonly embedderId: string;
  readonly filesTotal: number;
  readonly filesIndexed: number;
  readonly filesUnchanged: number;
  readonly filesSkipped: number;
  readonly filesRemoved: number;
  readonly chunks: number;
  readonly bytes: number;
  readonly skipped: readonly SkippedFile[];
  /** True when the run stopped on its AbortSignal (what was written stays). */
  readonly cancelled: boolean;
  /** What opening the table found (a damaged table is rebuilt). */
  readonly repair: RepairReport;
  readonly durationMs: number;
}

const keyOf = (f: FileKey): string => `${f.root}\u0000${f.path}`;

/** What one file came to after reading and parsing. */
type Prepared =
  | { readonly kind: 'unchanged'; readonly entry: WalkEntry }
  | { readonly kind: 'skipped'; readonly entry: WalkEntry; readonly skip: SkippedFile }
  | { readonly kind: 'document'; readonly entry: WalkEntry; readonly hash: string; readonly document: ParsedDocument };

/** Counters and the progress events built from them. */
class RunState {
  phase: IndexPhase = 'scanning';
  filesTotal = 0; filesDone = 0; filesIndexed = 0; filesUnchanged = 0; filesSkipped = 0; filesRemoved = 0;
  chunks = 0; bytesDone = 0; bytesTotal = 0;
  currentPath: string | undefined;
  private last = 0;
  private readonly eta = new EtaEstimator();

  constructor(private readonly options: IndexRunOptions) {}

  emit(force = false): void {
    const now = performance.now();
    if (!force && now - this.last < (this.options.progressIntervalMs ?? 200)) return;
    this.last = now;
    const paused = this.options.gate?.paused ?? false;
    if (paused) this.eta.reset();
    const etaSeconds = this.phase === 'indexing' && !paused ? this.eta.update(now, this.bytesDone, this.bytesTotal) : undefined;
    this.options.onProgress?.({
      phase: this.phase, filesTotal: this.filesTotal, filesDone: this.filesDone, filesIndexed: this.filesIndexed,
      filesUnchanged: this.filesUnchanged, filesSkipped: this.filesSkipped, filesRemoved: this.filesRemoved,
      chunks: this.chunks, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal, etaSeconds,
      currentPath: this.currentPath, paused,
    });
  }
}

/** Reads, hashes and (if changed) parses one file. */
async function prepare(entry: WalkEntry, known: IndexedFile | undefined, pool: ParserPool, limits: ResolvedWalkOptions, signal?: AbortSignal): Promise<Prepared> {
  if (known && known.mtimeMs === entry.mtimeMs) return { kind: 'unchanged', entry };
  const bytes = await readEntry(entry, limits);
  if (!(bytes instanceof Uint8Array)) return { kind: 'skipped', entry, skip: bytes };
  const hash = contentHash(bytes);
  if (known && known.contentHash === hash) return { kind: 'unchanged', entry };
  const parsed = await parseEntry(entry, bytes, pool, signal);
  return parsed.type === 'document' ? { kind: 'document', entry, hash, document: parsed.document } : { kind: 'skipped', entry, skip: parsed };
}

/** Chunks and embeds one parsed file into the rows the store writes. */
async function toRows(file: Extract<Prepared, { kind: 'document' }>, chunker: Chunker, embedder: Embedder, signal?: AbortSignal): Promise<FileChunks> {
  const chunks = await chunker.chunk(file.document, file.entry.root);
  const vectors = chunks.length > 0 ? await embedder.embedDocuments(chunks.map(textToEmbed), signal) : [];
  return { root: file.entry.root, path: file.entry.path, contentHash: file.hash, mtimeMs: file.entry.mtimeMs, chunks, vectors };
}

/** Indexes `roots` into the corpus table of the embedder; see the file header. */
export async function indexRoots(options: IndexRunOptions): Promise<IndexReport> {
  const started = performance.now();
  const { embedder, signal } = options;
  const state = new RunState(options);
  // No maintenance after every few writes during a run: once at its end, if due.
  const store = await ChunkStore.open({ dir: options.dbDir, corpus: options.corpus, embedder: { id: embedder.id, dimension: embedder.dimension }, autoMaintain: false });
  const pool = options.pool ?? new ParserPool(options.parser);
  const skipped: SkippedFile[] = [];
  let cancelled = false;
  try {
    const known = new Map<string, IndexedFile>();
    for (const root of options.roots) for (const file of await store.listFiles(root)) known.set(keyOf(file), file);

    // Scan: the whole list first, so that totals and the ETA mean something.
    const entries: WalkEntry[] = [];
    const seen = new Set<string>();
    // Files indexed before with the same time need no content sniff (their bytes passed it then).
    const knownUnchanged = (root: string, path: string, mtimeMs: number): boolean => known.get(`${root}\u0000${path}`)?.mtimeMs === mtimeMs;
    for await (const item of walkRoots(options.roots, { ...options.walk, knownUnchanged }, signal)) {
      if (item.type === 'skip') {
        skipped.push(item);
        state.filesSkipped++;
      } else {
        entries.push(item);
        seen.add(keyOf(item));
        state.filesTotal++;
        state.bytesTotal += item.size;
      }
      state.emit();
    }

    state.phase = 'indexing';
    state.emit(true);
    const limits = resolveWalkOptions(options.walk ?? {}, process.platform === 'darwin' || process.platform === 'win32');
    const budget = options.chunk?.budget;
    const chunker = createChunker({ ...options.chunk, countTokens: (t) => embedder.countTokens(t), maxTokens: Math.min(options.chunk?.maxTokens ?? budget ?? embedder.maxTokens, embedder.maxTokens), budget: budget === undefined ? undefined : Math.min(budget, embedder.maxTokens) });
    const batch: FileChunks[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const files = batch.splice(0);
      // Files the table had no rows for are appended (cheap); the others are replaced atomically.
      await store.addNewFiles(files.filter((f) => !known.has(keyOf(f))));
      await store.replaceFiles(files.filter((f) => known.has(keyOf(f))));
    };
    const readAhead = Math.max(1, options.readAhead ?? 4);
    const pending: Promise<Prepared>[] = [];
    let next = 0;
    const fill = (): void => {
      while (pending.length < readAhead && next < entries.length) {
        const entry = entries[next++];
        const p = prepare(entry, known.get(keyOf(entry)), pool, limits, signal);
        p.catch(() => {});
        pending.push(p);
      }
    };
    for (;;) {
      await options.gate?.passage(signal);
      if (signal?.aborted) break;
      fill();
      const head = pending.shift();
      if (!head) break;
      let file: Prepared;
      try {
        file = await head;
      } catch (error) {
        if (error instanceof CancelledError && signal?.aborted) break;
        throw error;
      }
      state.currentPath = file.entry.path;
      if (file.kind === 'unchanged') state.filesUnchanged++;
      else if (file.kind === 'skipped') {
        skipped.push(file.skip);
        state.filesSkipped++;
        seen.delete(keyOf(file.entry)); // indexed before, unusable now: its rows go
      } else {
        let rows: FileChunks;
        try {
          rows = await toRows(file, chunker, embedder, signal);
        } catch (error) {
          if (error instanceof CancelledError && signal?.aborted) break;
          throw error;
        }
        batch.push(rows);
        state.filesIndexed++;
        state.chunks += rows.chunks.length;
        if (batch.length >= (options.batchFiles ?? 32)) await flush();
      }
      state.filesDone++;
      state.bytesDone += file.entry.size;
      state.emit();
    }
    if (signal?.aborted) {
      cancelled = true;
      await Promise.allSettled(pending);
      await flush(); // what was prepared is worth keeping
    } else {
      await flush();
      state.phase = 'removing';
      state.emit(true);
      const gone = [...known.values()].filter((f) => !seen.has(keyOf(f)));
      state.filesRemoved = gone.length;
      for (let i = 0; i < gone.length; i += 500) await store.deleteFiles(gone.slice(i, i + 500));
      state.phase = 'maintaining';
      state.emit(true);
      await store.maintainIfDue();
      // A complete table becomes the one searches use (the swap when the embedder changed).
      await store.makeCurrent();
    }
    state.phase = 'done';
    state.currentPath = undefined;
    state.emit(true);
    return {
      corpus: options.corpus, table: store.tableName, embedderId: embedder.id,
      filesTotal: state.filesTotal, filesIndexed: state.filesIndexed, filesUnchanged: state.filesUnchanged,
      filesSkipped: state.filesSkipped, filesRemoved: state.filesRemoved, chunks: state.chunks, bytes: state.bytesTotal,
      skipped, cancelled, repair: store.repair, durationMs: performance.now() - started,
    };
  } catch (error) {
    if (signal?.aborted) throwIfAborted(signal, 'indexing');
    throw error;
  } finally {
    if (!options.pool) await pool.dispose();
    await store.close();
  }
}
