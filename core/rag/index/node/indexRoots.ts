// One indexing run over root folders, incremental and crash-safe. Scan the roots (walker rules:
// ignore files, excludes, secrets, no escapes), then per file: unchanged time -> skip (a stat);
// else read and hash -> unchanged content -> skip; else parse (isolated pool), chunk, embed, and
// queue its rows; rows are written in batches, each file's rows replaced atomically by the store.
// Files gone from the roots (deleted, renamed, now excluded or unreadable) lose their rows once
// the scan is complete. A run killed at any point leaves every file with its old or its new rows;
// the next run redoes what was not written. See README.md.

import { CancelledError, throwIfAborted } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import type { ChunkOptions } from '../../chunk/common/options.js';
import { createChunker, type Chunker } from '../../chunk/node/chunker.js';
import type { SkippedFile } from '../../ingest/common/skips.js';
import { resolveWalkOptions, type ResolvedWalkOptions, type WalkEntry } from '../../ingest/common/walkOptions.js';
import { ParserPool, type ParserPoolOptions } from '../../ingest/node/ParserPool.js';
import { walkRoots, type NodeWalkOptions } from '../../ingest/node/walkRoots.js';
import type { RepairReport } from '../../store/node/health.js';
import { ChunkStore } from '../../store/node/ChunkStore.js';
import type { FileChunks, FileKey, IndexedFile } from '../../store/common/schema.js';
import type { IndexProgress } from '../common/progress.js';
import { PauseGate } from '../common/pauseGate.js';
import { prepare, toRows, type Prepared } from './prepareFile.js';
import { RunState } from './runState.js';

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

/** Whether a failure is the run's own cancellation (which ends the loop, not the run). */
const isCancellation = (error: unknown, signal?: AbortSignal): boolean => error instanceof CancelledError && signal?.aborted === true;

/** One run's working set: what the table holds, what the walk found, the rows waiting to be written. */
class IndexRun {
  readonly state: RunState;
  readonly known = new Map<string, IndexedFile>();
  readonly seen = new Set<string>();
  readonly skipped: SkippedFile[] = [];
  readonly entries: WalkEntry[] = [];
  private readonly batch: FileChunks[] = [];
  private readonly pending: Promise<Prepared>[] = [];
  private next = 0;

  constructor(
    private readonly options: IndexRunOptions,
    readonly store: ChunkStore,
    private readonly pool: ParserPool,
  ) {
    this.state = new RunState(options);
  }

  /** Lists the table's files, then walks the roots: the whole list first, so totals and ETA mean something. */
  async scan(): Promise<void> {
    for (const root of this.options.roots) for (const file of await this.store.listFiles(root)) this.known.set(keyOf(file), file);
    // Files indexed before with the same time need no content sniff (their bytes passed it then).
    const knownUnchanged = (root: string, path: string, mtimeMs: number): boolean => this.known.get(keyOf({ root, path }))?.mtimeMs === mtimeMs;
    for await (const item of walkRoots(this.options.roots, { ...this.options.walk, knownUnchanged }, this.options.signal)) {
      if (item.type === 'skip') {
        this.skipped.push(item);
        this.state.filesSkipped++;
      } else {
        this.entries.push(item);
        this.seen.add(keyOf(item));
        this.state.filesTotal++;
        this.state.bytesTotal += item.size;
      }
      this.state.emit();
    }
  }

  /** Starts reading and parsing the next files, up to the read-ahead. */
  private fill(limits: ResolvedWalkOptions): void {
    while (this.pending.length < Math.max(1, this.options.readAhead ?? 4) && this.next < this.entries.length) {
      const entry = this.entries[this.next++];
      const prepared = prepare(entry, this.known.get(keyOf(entry)), this.pool, limits, this.options.signal);
      prepared.catch(() => {});
      this.pending.push(prepared);
    }
  }

  /** Writes the waiting rows: new files appended (cheap), changed ones replaced atomically. */
  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const files = this.batch.splice(0);
    await this.store.addNewFiles(files.filter((f) => !this.known.has(keyOf(f))));
    await this.store.replaceFiles(files.filter((f) => this.known.has(keyOf(f))));
  }

  /**
   * Before a failed run ends (a remote embedder's server gone, a parse that throws): writes the
   * files already embedded, each whole, so the next run need not embed them again. A failure of
   * this write is left out: the run reports the error that stopped it.
   */
  private async keepQueued(): Promise<void> {
    await Promise.allSettled(this.pending);
    await this.flush().catch(() => {});
  }

  /** Counts one prepared file and queues its rows. */
  private async take(file: Prepared, chunker: Chunker): Promise<void> {
    const state = this.state;
    state.currentPath = file.entry.path;
    if (file.kind === 'unchanged') state.filesUnchanged++;
    else if (file.kind === 'skipped') {
      this.skipped.push(file.skip);
      state.filesSkipped++;
      this.seen.delete(keyOf(file.entry)); // indexed before, unusable now: its rows go
    } else {
      const rows = await toRows(file, chunker, this.options.embedder, this.options.signal);
      this.batch.push(rows);
      state.filesIndexed++;
      state.chunks += rows.chunks.length;
      if (this.batch.length >= (this.options.batchFiles ?? 32)) await this.flush();
    }
    state.filesDone++;
    state.bytesDone += file.entry.size;
    state.emit();
  }

  /** Processes every found file in order; resolves to true when the run was cancelled. */
  async processAll(chunker: Chunker): Promise<boolean> {
    const { signal, gate } = this.options;
    const limits = resolveWalkOptions(this.options.walk ?? {}, process.platform === 'darwin' || process.platform === 'win32');
    for (;;) {
      await gate?.passage(signal);
      if (signal?.aborted) break;
      this.fill(limits);
      const head = this.pending.shift();
      if (!head) return false;
      try {
        await this.take(await head, chunker);
      } catch (error) {
        if (isCancellation(error, signal)) break;
        await this.keepQueued();
        throw error;
      }
    }
    await Promise.allSettled(this.pending);
    await this.flush(); // what was prepared is worth keeping
    return true;
  }

  /** After a complete pass: rows of files gone from the roots go, indexes are maintained, the table becomes current. */
  async finish(): Promise<void> {
    await this.flush();
    this.state.phase = 'removing';
    this.state.emit(true);
    const gone = [...this.known.values()].filter((f) => !this.seen.has(keyOf(f)));
    this.state.filesRemoved = gone.length;
    for (let i = 0; i < gone.length; i += 500) await this.store.deleteFiles(gone.slice(i, i + 500));
    this.state.phase = 'maintaining';
    this.state.emit(true);
    await this.store.maintainIfDue();
    // A complete table becomes the one searches use (the swap when the embedder changed).
    await this.store.makeCurrent();
  }
}

/** The chunker for an embedder: sizes in its tokens, never above its input limit. */
function chunkerFor(embedder: Embedder, chunk: IndexRunOptions['chunk']): Chunker {
  const budget = chunk?.budget;
  return createChunker({
    ...chunk,
    countTokens: (t) => embedder.countTokens(t),
    maxTokens: Math.min(chunk?.maxTokens ?? budget ?? embedder.maxTokens, embedder.maxTokens),
    budget: budget === undefined ? undefined : Math.min(budget, embedder.maxTokens),
  });
}

/** Indexes `roots` into the corpus table of the embedder; see the file header. */
export async function indexRoots(options: IndexRunOptions): Promise<IndexReport> {
  const started = performance.now();
  const { embedder, signal } = options;
  // No maintenance after every few writes during a run: once at its end, if due.
  const store = await ChunkStore.open({ dir: options.dbDir, corpus: options.corpus, embedder: { id: embedder.id, dimension: embedder.dimension }, autoMaintain: false });
  const pool = options.pool ?? new ParserPool(options.parser);
  const run = new IndexRun(options, store, pool);
  const state = run.state;
  try {
    await run.scan();
    state.phase = 'indexing';
    state.emit(true);
    const cancelled = await run.processAll(chunkerFor(embedder, options.chunk));
    if (!cancelled) await run.finish();
    state.phase = 'done';
    state.currentPath = undefined;
    state.emit(true);
    return {
      corpus: options.corpus, table: store.tableName, embedderId: embedder.id,
      filesTotal: state.filesTotal, filesIndexed: state.filesIndexed, filesUnchanged: state.filesUnchanged,
      filesSkipped: state.filesSkipped, filesRemoved: state.filesRemoved, chunks: state.chunks, bytes: state.bytesTotal,
      skipped: run.skipped, cancelled, repair: store.repair, durationMs: performance.now() - started,
    };
  } catch (error) {
    if (signal?.aborted) throwIfAborted(signal, 'indexing');
    throw error;
  } finally {
    if (!options.pool) await pool.dispose();
    await store.close();
  }
}
