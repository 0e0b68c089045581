// Entry of the indexing worker thread: runs one IndexRequest with indexRoots, posting progress,
// and obeys pause, resume and cancel. The shell's thread never does indexing work.

import { parentPort } from 'node:worker_threads';
import { ExpectedError } from '../../../base/common/errors.js';
import { createEmbedder } from '../../embed/node/createEmbedder.js';
import { parseToIndexWorker, type FromIndexWorker, type IndexRequest } from '../common/indexProtocol.js';
import { PauseGate } from '../common/pauseGate.js';
import { indexRoots } from './indexRoots.js';

const port = parentPort!;
const gate = new PauseGate();
const controller = new AbortController();
let started = false;

function post(message: FromIndexWorker): void {
  port.postMessage(message);
}

async function run(request: IndexRequest): Promise<void> {
  const embedder = await createEmbedder(request.embedder);
  try {
    const report = await indexRoots({
      roots: request.roots, dbDir: request.dbDir, corpus: request.corpus, embedder,
      walk: request.walk, chunk: request.chunkBudget ? { budget: request.chunkBudget } : undefined,
      gate, signal: controller.signal, onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'done', report: { ...report } });
  } finally {
    await embedder.dispose();
  }
}

port.on('message', (raw: unknown) => {
  let message;
  try {
    message = parseToIndexWorker(raw);
  } catch (error) {
    post({ type: 'error', name: 'ArgumentError', message: (error as Error).message });
    return;
  }
  if (message.type === 'pause') gate.pause();
  else if (message.type === 'resume') gate.resume();
  else if (message.type === 'cancel') controller.abort();
  else if (!started) {
    started = true;
    run(message.request).catch((error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      post({ type: 'error', name: e.name, message: e.message, reason: error instanceof ExpectedError ? error.reason : undefined });
    });
  }
});
