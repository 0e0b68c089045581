// The shell side of indexing: starts an indexing run in a worker thread and gives the caller
// progress events, pause, resume, cancel and the final report. Messages are checked both ways.

import { Worker } from 'node:worker_threads';
import { BugIndicatingError, ErrorReason, ExpectedError } from '../../../base/common/errors.js';
import { checkIndexRequest, parseFromIndexWorker, type IndexRequest, type ToIndexWorker } from '../common/indexProtocol.js';
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

/** Starts indexing `request` in a worker thread. */
export function startIndexing(request: IndexRequest, onProgress?: (progress: IndexProgress) => void): IndexingJob {
  const checked = checkIndexRequest(request);
  const worker = new Worker(workerUrl());
  const send = (message: ToIndexWorker): void => worker.postMessage(message);
  const done = new Promise<IndexReport>((resolve, reject) => {
    worker.on('message', (raw: unknown) => {
      const message = parseFromIndexWorker(raw);
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'done') resolve(message.report as unknown as IndexReport);
      else reject(message.reason && REASONS.has(message.reason) ? new ExpectedError(message.reason as ErrorReason, message.message) : new Error(`${message.name}: ${message.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new BugIndicatingError(`the indexing worker exited (code ${code}) before finishing`)));
  }).finally(() => void worker.terminate());
  send({ type: 'start', request: checked });
  return {
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    cancel: () => send({ type: 'cancel' }),
    done,
  };
}
