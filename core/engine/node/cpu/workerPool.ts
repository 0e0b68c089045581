// The CPU backend's threads: the main thread plus `threads - 1` workers over one shared memory.
// `run` hands a job to every thread and returns when all shares are done (synchronously: a
// forward pass is a sequence of dependent steps, so there is nothing else to do meanwhile).

import { Worker } from 'node:worker_threads';
import { BugIndicatingError } from '../../../base/common/errors.js';
import { CONTROL_ARGS, CONTROL_DONE, CONTROL_ERROR, CONTROL_KIND, CONTROL_SEQ, CONTROL_WORDS, JobKind, runJobShare } from './jobs.js';
import type { WasmKernels } from './wasmKernels.js';

const SPIN = 20000;
/** Below this many multiply-adds a job runs on the calling thread (waking workers costs ~10 us). */
const MIN_PARALLEL_WORK = 1 << 17;

function workerUrl(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './cpuWorkerFromSources.mjs' : './cpuWorker.js', import.meta.url);
}

export class WorkerPool {
  readonly control: Int32Array;
  readonly controlF32: Float32Array;
  private readonly workers: Worker[] = [];

  private constructor(
    private readonly kernels: WasmKernels,
    readonly threads: number,
  ) {
    const buffer = new SharedArrayBuffer(CONTROL_WORDS * 4);
    this.control = new Int32Array(buffer);
    this.controlF32 = new Float32Array(buffer);
  }

  /** Starts `threads - 1` workers over `memory` and waits until each is ready. */
  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: WasmKernels, threads: number): Promise<WorkerPool> {
    const pool = new WorkerPool(kernels, threads);
    const ready: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      const worker = new Worker(workerUrl(), {
        workerData: { module, memory, control: pool.control.buffer, index, count: threads },
      });
      worker.unref();
      pool.workers.push(worker);
      ready.push(new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }));
    }
    await Promise.all(ready);
    return pool;
  }

  /** The argument words of the next job (write them, then call run). */
  get args(): Int32Array {
    return this.control.subarray(CONTROL_ARGS);
  }

  get argsF32(): Float32Array {
    return this.controlF32.subarray(CONTROL_ARGS);
  }

  /**
   * Runs the job whose arguments were written into `args` on every thread, or on the calling
   * thread alone when `work` (multiply-adds, roughly) is too small to pay for waking the others.
   */
  run(kind: JobKind, work = Infinity): void {
    const c = this.control;
    if (this.threads === 1 || work < MIN_PARALLEL_WORK) {
      c[CONTROL_KIND] = kind;
      runJobShare(this.kernels, c, this.controlF32, 0, 1);
      return;
    }
    c[CONTROL_KIND] = kind;
    Atomics.store(c, CONTROL_DONE, 0);
    Atomics.store(c, CONTROL_ERROR, 0);
    Atomics.add(c, CONTROL_SEQ, 1);
    Atomics.notify(c, CONTROL_SEQ);
    try {
      runJobShare(this.kernels, c, this.controlF32, 0, this.threads);
    } finally {
      this.waitForWorkers();
    }
    if (Atomics.load(c, CONTROL_ERROR) !== 0) throw new BugIndicatingError(`a CPU worker failed in job ${JobKind[kind]}`);
  }

  private waitForWorkers(): void {
    const c = this.control;
    const others = this.threads - 1;
    for (let i = 0; i < SPIN && Atomics.load(c, CONTROL_DONE) < others; i++);
    for (let done = Atomics.load(c, CONTROL_DONE); done < others; done = Atomics.load(c, CONTROL_DONE)) {
      Atomics.wait(c, CONTROL_DONE, done);
    }
  }

  async dispose(): Promise<void> {
    this.control[CONTROL_KIND] = JobKind.Exit;
    Atomics.add(this.control, CONTROL_SEQ, 1);
    Atomics.notify(this.control, CONTROL_SEQ);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
