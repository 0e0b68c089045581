// Entry of a CPU backend worker thread: instantiates the kernels over the shared memory, then
// sleeps on the control block and runs its share of each job (jobs.ts) until told to exit.

import { parentPort, workerData } from 'node:worker_threads';
import { CONTROL_DONE, CONTROL_ERROR, CONTROL_KIND, CONTROL_SEQ, JobKind, runJobShare } from './jobs.js';
import { instantiateKernels } from './wasmKernels.js';

interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly index: number;
  readonly count: number;
}

const SPIN = 20000;
const init = workerData as WorkerInit;
const kernels = instantiateKernels(init.module, init.memory);
const control = new Int32Array(init.control);
const controlF32 = new Float32Array(init.control);

let seen = Atomics.load(control, CONTROL_SEQ);
parentPort?.postMessage('ready');
for (;;) {
  // Spin briefly: the next job usually follows within microseconds during a forward pass.
  for (let i = 0; i < SPIN && Atomics.load(control, CONTROL_SEQ) === seen; i++);
  if (Atomics.load(control, CONTROL_SEQ) === seen) Atomics.wait(control, CONTROL_SEQ, seen);
  seen = Atomics.load(control, CONTROL_SEQ);
  if (control[CONTROL_KIND] === JobKind.Exit) break;
  try {
    runJobShare(kernels, control, controlF32, init.index, init.count);
  } catch (error) {
    Atomics.store(control, CONTROL_ERROR, 1);
    parentPort?.postMessage({ error: String(error) });
  }
  Atomics.add(control, CONTROL_DONE, 1);
  Atomics.notify(control, CONTROL_DONE);
}
