// The shell side of indexing: one worker thread that runs indexing jobs one after another (so a
// watcher's runs find the embedder and the parsers warm), with progress events, pause, resume,
// cancel and the final report of each job. Messages are checked both ways.

import { Worker } from 'node:worker_threads';
import { ArgumentError, BugIndicatingError, ErrorReason, ExpectedError } from '../../../base/common/errors.js';
import { checkIndexRequest, parseFromIndexWorker, type FromIndexWorker, type IndexRequest, type ToIndexWorker } from '../common/indexProtocol.js';
import type { IndexProgress } from '../common/progress.js';
import type { IndexReport } from './indexRoots.js';

function workerUrl(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './indexWorkerFromSources.mjs' : './indexWorker.js', import.meta.url);
}

/** A running index job. */
export interface IndexingJob {
  pause(): void;
  resume(): void;
  /** Stops after the file in hand; `done` then resolves with `cancelled: true`. */
  cancel(): void;
  /** The report when the run ends; rejects if the run fails. */
  readonly done: Promise<IndexReport>;
}

const REASONS = new Set<string>(Object.values(ErrorReason));

interface Pending {
  readonly resolve: (report: IndexReport) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress?: (progress: IndexProgress) => void;
}

export class IndexerHost {
  private readonly worker = new Worker(workerUrl());
  private pending: Pending | undefined;
  private exited = false;

  constructor() {
    this.worker.on('message', (raw: unknown) => this.receive(raw));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.fail(new BugIndicatingError(`the indexing worker exited (code ${code})`));
    });
  }

  private receive(raw: unknown): void {
    let message: FromIndexWorker;
    try {
      message = parseFromIndexWorker(raw);
    } catch (error) {
      return this.fail(error as Error);
    }
    const job = this.pending;
    if (message.type === 'progress') return job?.onProgress?.(message.progress);
    this.pending = undefined;
    if (message.type === 'done') job?.resolve(message.report as unknown as IndexReport);
    else job?.reject(message.reason && REASONS.has(message.reason) ? new ExpectedError(message.reason as ErrorReason, message.message) : new Error(`${message.name}: ${message.message}`));
  }

  private fail(error: Error): void {
    const job = this.pending;
    this.pending = undefined;
    job?.reject(error);
  }

  private send(message: ToIndexWorker): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  /** Starts a job; one at a time per host. */
  run(request: IndexRequest, onProgress?: (progress: IndexProgress) => void): IndexingJob {
    if (this.pending) throw new ArgumentError('An indexing job is already running on this indexer; wait for it or cancel it.');
    if (this.exited) throw new BugIndicatingError('the indexing worker has exited');
    const checked = checkIndexRequest(request);
    const done = new Promise<IndexReport>((resolve, reject) => (this.pending = { resolve, reject, onProgress }));
    this.send({ type: 'start', request: checked });
    return {
      pause: () => this.send({ type: 'pause' }),
      resume: () => this.send({ type: 'resume' }),
      cancel: () => this.send({ type: 'cancel' }),
      done,
    };
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Runs one job on a host of its own, disposed when the job ends. */
export function startIndexing(request: IndexRequest, onProgress?: (progress: IndexProgress) => void): IndexingJob {
  const host = new IndexerHost();
  const job = host.run(request, onProgress);
  return { ...job, done: job.done.finally(() => host.dispose()) };
}
