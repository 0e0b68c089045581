// Parsers in isolation: a small pool of worker threads, each with a V8 heap limit, a time limit
// per file, and a watchdog on the process's resident memory (ArrayBuffers, where pdf.js and zip
// libraries keep their data, are outside the V8 heap limit). A file that hangs a parser or eats
// its memory ends in a skip; its worker is terminated and replaced; indexing goes on.

import { Worker } from 'node:worker_threads';
import { ArgumentError, CancelledError } from '../../../base/common/errors.js';
import type { ParsedDocument } from '../../common/document.js';
import type { ParseTarget } from '../common/parseText.js';
import type { SkipReason } from '../common/skips.js';
import { DEFAULT_MAX_EXPANDED_BYTES } from './parseFile.js';
import { WORKER_READY, type ParseReply, type ParseRequest } from './parserWorkerMain.js';

/** Limits of the parser pool. Every field is optional; defaults in DEFAULT_PARSER_POOL_OPTIONS. */
export interface ParserPoolOptions {
  /** Worker threads. Default 1 (parsing competes with embedding for the cores). */
  readonly workers?: number;
  /** Time limit per file, in ms. Default 30,000. */
  readonly timeoutMs?: number;
  /** V8 heap limit of each worker (resourceLimits.maxOldGenerationSizeMb), in MB. Default 512. */
  readonly heapMb?: number;
  /**
   * Growth of the process's resident memory allowed per busy worker while it parses, in MB
   * (covers ArrayBuffers, which the heap limit does not). Default 1024.
   */
  readonly memoryMb?: number;
  /** What the XML parts of a DOCX may inflate to, in bytes (zip bomb check). Default 128 MiB. */
  readonly maxExpandedBytes?: number;
  /** Script the workers run. Default: parserWorker (tests pass hostile parsers). */
  readonly workerUrl?: URL;
}

/** Defaults of ParserPoolOptions. */
export const DEFAULT_PARSER_POOL_OPTIONS = {
  workers: 1,
  timeoutMs: 30_000,
  heapMb: 512,
  memoryMb: 1024,
  maxExpandedBytes: DEFAULT_MAX_EXPANDED_BYTES,
} as const;

/** How often the memory watchdog looks at the process's resident memory, in ms. */
const WATCHDOG_MS = 50;
/** Time a new worker has to load (before the first file's time limit starts), in ms. */
const STARTUP_MS = 60_000;

/** A parsed document, or why the file is skipped. */
export type ParseOutcome =
  | { readonly ok: true; readonly document: ParsedDocument }
  | { readonly ok: false; readonly reason: SkipReason; readonly problem: string };

interface Task {
  readonly id: number;
  readonly target: ParseTarget;
  readonly bytes: Uint8Array;
  readonly resolve: (outcome: ParseOutcome) => void;
  readonly reject: (error: Error) => void;
  readonly signal?: AbortSignal;
  /** Runs alone: its second try, after the memory watchdog stopped it. */
  exclusive: boolean;
  rssAtStart: number;
  timer?: ReturnType<typeof setTimeout>;
  onAbort?: () => void;
}

interface Slot {
  worker?: Worker;
  /** The worker has loaded and listens (a file's time limit starts when it is sent). */
  ready?: boolean;
  task?: Task;
}

function defaultWorkerUrl(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './parserWorkerFromSources.mjs' : './parserWorker.js', import.meta.url);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new ArgumentError(`Parser option ${name} must be a number > 0, got ${String(value)}`);
  return value;
}

/** Runs parsers in worker threads with time and memory limits. */
export class ParserPool {
  /** Worker threads. */
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly heapMb: number;
  private readonly memoryBytes: number;
  private readonly maxExpandedBytes: number;
  private readonly workerUrl: URL;
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private watchdog?: ReturnType<typeof setInterval>;
  private disposed = false;

  constructor(options: ParserPoolOptions = {}) {
    const o = { ...DEFAULT_PARSER_POOL_OPTIONS, ...options };
    this.size = Math.floor(positive('workers', o.workers));
    this.timeoutMs = positive('timeoutMs', o.timeoutMs);
    this.heapMb = positive('heapMb', o.heapMb);
    this.memoryBytes = positive('memoryMb', o.memoryMb) * 1024 * 1024;
    this.maxExpandedBytes = positive('maxExpandedBytes', o.maxExpandedBytes);
    this.workerUrl = options.workerUrl ?? defaultWorkerUrl();
    this.slots = Array.from({ length: this.size }, () => ({}));
  }

  /**
   * Parses one file in a worker. Resolves with the document, or with a skip reason when the file
   * cannot be parsed or breaks a limit; rejects only with CancelledError (from `signal`). The
   * bytes are copied to the worker (and kept here, so that a file can run again alone).
   */
  parse(target: ParseTarget, bytes: Uint8Array, signal?: AbortSignal): Promise<ParseOutcome> {
    if (this.disposed) return Promise.reject(new CancelledError('parsing (the parser pool is disposed)'));
    if (signal?.aborted) return Promise.reject(new CancelledError('parsing'));
    return new Promise((resolve, reject) => {
      const task: Task = { id: this.nextId++, target, bytes, resolve, reject, signal, exclusive: false, rssAtStart: 0 };
      if (task.signal) {
        task.onAbort = () => this.cancel(task);
        task.signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.pump();
    });
  }

  /** Terminates the workers; queued files are cancelled. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const task of this.queue.splice(0)) this.settle(task, new CancelledError('parsing (the parser pool is disposed)'));
    const workers = this.slots.map((slot) => slot.worker).filter((w): w is Worker => w !== undefined);
    for (const slot of this.slots) {
      if (slot.task) this.settle(slot.task, new CancelledError('parsing (the parser pool is disposed)'));
      slot.task = undefined;
      slot.worker = undefined;
    }
    this.stopWatchdog();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /** Starts queued tasks on free workers; an exclusive task waits until it can run alone. */
  private pump(): void {
    while (this.queue.length > 0) {
      const busy = this.slots.filter((s) => s.task);
      if (busy.some((s) => s.task?.exclusive)) return;
      if (this.queue[0].exclusive && busy.length > 0) return;
      const free = this.slots.find((s) => !s.task);
      if (!free) return;
      this.start(free, this.queue.shift()!);
    }
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    if (slot.worker && slot.ready) return this.send(slot, task);
    if (slot.worker) return;
    slot.worker = this.spawn(slot);
    slot.ready = false;
    slot.worker.ref();
    task.timer = setTimeout(() => this.stop(slot, 'parse-failed', `parser worker did not start within ${STARTUP_MS / 1000} s`), STARTUP_MS);
  }

  /** Sends a task to its slot's ready worker; its time limit and memory watch start now. */
  private send(slot: Slot, task: Task): void {
    clearTimeout(task.timer);
    task.rssAtStart = process.memoryUsage.rss();
    task.timer = setTimeout(() => this.stop(slot, 'parse-timeout', `parser ran past its time limit of ${this.timeoutMs / 1000} s`), this.timeoutMs);
    slot.worker!.ref();
    const request: ParseRequest = { id: task.id, target: { path: task.target.path, kind: task.target.kind, language: task.target.language }, bytes: task.bytes };
    slot.worker!.postMessage(request);
    this.startWatchdog();
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(this.workerUrl, {
      workerData: { maxExpandedBytes: this.maxExpandedBytes },
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, this.heapMb / 8)), stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on('message', (reply: ParseReply | typeof WORKER_READY) => {
      if (slot.worker !== worker) return;
      if (reply === WORKER_READY) {
        slot.ready = true;
        if (slot.task) this.send(slot, slot.task);
        else worker.unref();
        return;
      }
      if (slot.task?.id !== reply.id) return;
      const task = slot.task;
      this.release(slot);
      this.settle(task, reply.ok ? { ok: true, document: reply.document } : { ok: false, reason: reply.reason, problem: reply.problem });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') this.stop(slot, 'memory-limit', `parser ran out of memory (heap limit ${this.heapMb} MB)`);
      else this.stop(slot, 'parse-failed', `parser worker crashed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (slot.worker === worker) this.stop(slot, 'parse-failed', `parser worker exited with code ${code}`);
    });
    return worker;
  }

  /** Frees a slot whose worker answered; the worker stays for the next file. */
  private release(slot: Slot): void {
    slot.task = undefined;
    slot.worker?.unref();
    queueMicrotask(() => this.pump());
  }

  /** Terminates a slot's worker; its task (if any) ends in a skip with `reason`. */
  private stop(slot: Slot, reason: SkipReason, problem: string): void {
    const { worker, task } = slot;
    slot.worker = undefined;
    slot.task = undefined;
    void worker?.terminate();
    if (task) this.settle(task, { ok: false, reason, problem });
    queueMicrotask(() => this.pump());
  }

  private cancel(task: Task): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.task === task);
    if (slot) {
      slot.task = undefined;
      void slot.worker?.terminate();
      slot.worker = undefined;
      queueMicrotask(() => this.pump());
    }
    this.settle(task, new CancelledError('parsing'));
  }

  /** Resolves (an outcome) or rejects (an error) a task once, and clears its timer and listener. */
  private settle(task: Task, result: ParseOutcome | Error): void {
    clearTimeout(task.timer);
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    if (result instanceof Error) task.reject(result);
    else task.resolve(result);
  }

  private startWatchdog(): void {
    this.watchdog ??= setInterval(() => this.checkMemory(), WATCHDOG_MS);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  /**
   * Stops parsers when the process has grown by more than `memoryMb` per busy worker since the
   * earliest of them started. The growth may come from another parser or from elsewhere in the
   * process (an embedder loading), so a file is skipped only when it breaks the limit running
   * alone, on its second try; until then it is queued again to run alone.
   */
  private checkMemory(): void {
    // Tasks still waiting for their worker to start have not been sent (rssAtStart is 0).
    const busy = this.slots.filter((s) => s.task && s.task.rssAtStart > 0);
    if (busy.length === 0) return this.stopWatchdog();
    const base = Math.min(...busy.map((s) => s.task!.rssAtStart));
    const grown = process.memoryUsage.rss() - base;
    if (grown <= this.memoryBytes * busy.length) return;
    const problem = `parser ran out of memory (grew the process by ${Math.round(grown / 1048576)} MB, limit ${this.memoryBytes / 1048576} MB)`;
    for (const slot of busy) {
      const task = slot.task!;
      if (task.exclusive) {
        this.stop(slot, 'memory-limit', problem);
        continue;
      }
      clearTimeout(task.timer);
      slot.task = undefined;
      void slot.worker?.terminate();
      slot.worker = undefined;
      task.exclusive = true;
      task.rssAtStart = 0;
      this.queue.unshift(task);
    }
    queueMicrotask(() => this.pump());
  }
}
