// Handlers of `index/*`: one indexing job at a time, run by an IndexerHost (its own worker thread,
// kept warm between jobs), with progress streamed as `index/progress` events. Only the folders a
// request names are indexed: each must be an existing folder given by its absolute path; its
// real path is what is indexed and recorded as a root of the corpus (once the run completes).

import { realpath, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { ExpectedError } from '../../../base/common/errors.js';
import { DEFAULT_EMBEDDER_SPEC, parseEmbedderSpec } from '../../../rag/embed/common/embedderSpec.js';
import type { IndexProgress } from '../../../rag/index/common/progress.js';
import { readCorpora, recordCorpus } from '../../../rag/index/node/corpusRegistry.js';
import { IndexerHost, type IndexingJob } from '../../../rag/index/node/IndexerHost.js';
import type { IndexReport } from '../../../rag/index/node/indexRoots.js';
import { ServiceError } from '../../common/errors.js';
import type { IndexControlResult, IndexProgressEvent, IndexStartRequest, IndexStartResult, IndexStatusResult } from '../../common/messages/indexing.js';
import type { ServiceEvent } from '../../common/protocol.js';
import { isInside } from '../rootGuard.js';
import { DEFAULT_CORPUS, type OnRequest, type ServiceContext } from './context.js';

/** Skipped files listed in a result (all are counted). */
const MAX_SKIPS_LISTED = 100;

interface RunningJob {
  readonly corpus: string;
  job?: IndexingJob;
  paused: boolean;
  progress?: IndexProgressEvent;
}

/**
 * The real paths of the requested roots (existing folders, not inside the database folder), and
 * the walker patterns that leave the database out of a root that holds it.
 */
async function realRoots(requested: readonly string[], dbDir: string): Promise<{ roots: string[]; exclude: string[] }> {
  const roots: string[] = [], exclude: string[] = [];
  const db = await realpath(dbDir).catch(() => dbDir);
  for (const root of requested) {
    const info = await stat(root).catch(() => undefined);
    if (!info) throw new ServiceError('not-found', `Cannot index ${JSON.stringify(root)}: no such folder.`);
    if (!info.isDirectory()) throw new ServiceError('bad-request', `Cannot index ${JSON.stringify(root)}: not a folder.`);
    const real = await realpath(root);
    if (isInside(db, real)) throw new ServiceError('bad-request', `Cannot index ${JSON.stringify(root)}: it is inside the index database (${dbDir}).`);
    if (isInside(real, db)) exclude.push(`/${relative(real, db).split(sep).join('/')}/`);
    if (!roots.includes(real)) roots.push(real);
  }
  return { roots, exclude };
}

function progressEvent(corpus: string, p: IndexProgress): IndexProgressEvent {
  const { etaSeconds, currentPath, ...counts } = p;
  return { corpus, ...counts, ...(etaSeconds !== undefined ? { etaSeconds } : {}), ...(currentPath !== undefined ? { currentPath } : {}) };
}

function resultOf(report: IndexReport, roots: readonly string[]): IndexStartResult {
  const { corpus, embedderId, filesTotal, filesIndexed, filesUnchanged, filesSkipped, filesRemoved, chunks, bytes, cancelled, durationMs } = report;
  const skipped = report.skipped.slice(0, MAX_SKIPS_LISTED).map((s) => ({ root: s.root, path: s.path, reason: s.reason, message: s.message }));
  return { corpus, roots, embedderId, filesTotal, filesIndexed, filesUnchanged, filesSkipped, filesRemoved, chunks, bytes, skipped, cancelled, durationMs };
}

/** The indexing state of one service. */
class Indexing {
  private host: IndexerHost | undefined;
  private current: RunningJob | undefined;

  constructor(private readonly context: ServiceContext) {
    context.onDispose(async () => {
      this.current?.job?.cancel();
      await this.host?.dispose();
    });
  }

  async start(request: IndexStartRequest, signal: AbortSignal, emit: (event: ServiceEvent<'index/progress'>) => void): Promise<IndexStartResult> {
    if (this.current) throw new ServiceError('limit', `An indexing job is running (corpus "${this.current.corpus}"): cancel it with index/cancel, or wait for it.`);
    const corpus = request.corpus ?? DEFAULT_CORPUS;
    const running: RunningJob = (this.current = { corpus, paused: false });
    try {
      const { dbDir } = this.context.config;
      const { roots, exclude } = await realRoots(request.roots, dbDir);
      const embedder = request.embedder ?? (await readCorpora(dbDir))[corpus]?.embedder ?? DEFAULT_EMBEDDER_SPEC;
      parseEmbedderSpec(embedder);
      if (signal.aborted) throw new ServiceError('cancelled', 'index/start was cancelled');
      const host = (this.host ??= new IndexerHost());
      const job = (running.job = host.run({ roots, dbDir, corpus, embedder, ...(exclude.length > 0 ? { walk: { exclude } } : {}) }, (p) => {
        running.progress = progressEvent(corpus, p);
        emit({ type: 'index/progress', data: running.progress });
      }));
      signal.addEventListener('abort', () => job.cancel(), { once: true });
      const report = await job.done.catch((error: unknown) => this.failed(error));
      if (!report.cancelled) await recordCorpus(dbDir, corpus, roots, embedder);
      return resultOf(report, roots);
    } finally {
      this.current = undefined;
    }
  }

  /** After a job failed: a worker that died is replaced by the next job. */
  private async failed(error: unknown): Promise<never> {
    if (!(error instanceof ExpectedError)) {
      const host = this.host;
      this.host = undefined;
      await host?.dispose().catch(() => undefined);
    }
    throw error;
  }

  control(action: 'pause' | 'resume' | 'cancel', corpus: string | undefined): IndexControlResult {
    const running = this.current;
    if (!running?.job || (corpus !== undefined && corpus !== running.corpus)) return { applied: false };
    running.job[action]();
    if (action !== 'cancel') running.paused = action === 'pause';
    return { applied: true };
  }

  status(): IndexStatusResult {
    const running = this.current;
    if (!running) return { running: false };
    return { running: true, corpus: running.corpus, paused: running.paused, ...(running.progress ? { progress: { ...running.progress, paused: running.paused } } : {}) };
  }
}

/** Registers index/start, index/pause, index/resume, index/cancel and index/status. */
export function registerIndexHandlers(on: OnRequest, context: ServiceContext): void {
  const indexing = new Indexing(context);
  on('index/start', (request, { signal, emit }) => indexing.start(request, signal, emit));
  on('index/pause', (request) => indexing.control('pause', request.corpus));
  on('index/resume', (request) => indexing.control('resume', request.corpus));
  on('index/cancel', (request) => indexing.control('cancel', request.corpus));
  on('index/status', () => indexing.status());
}
