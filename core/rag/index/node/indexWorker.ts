// Entry of the indexing worker thread: runs IndexRequests one after another with indexRoots,
// posting progress, and obeys pause, resume and cancel. The embedder and the parser pool stay
// warm between runs (a watcher's re-index of one file then costs no start-up). The shell's thread
// never does indexing work.

import { parentPort } from 'node:worker_threads';
import { ExpectedError } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import { createEmbedder } from '../../embed/node/createEmbedder.js';
import { ParserPool } from '../../ingest/node/ParserPool.js';
import { parseToIndexWorker, type FromIndexWorker, type IndexRequest } from '../common/indexProtocol.js';
import { PauseGate } from '../common/pauseGate.js';
import { indexRoots } from './indexRoots.js';

const port = parentPort!;
const gate = new PauseGate();
let controller = new AbortController();
let running = false;
const pool = new ParserPool();
let embedder: { spec: string; instance: Embedder } | undefined;

function post(message: FromIndexWorker): void {
  port.postMessage(message);
}

/** The embedder of `spec`, kept from the previous run when the spec is the same. */
async function embedderFor(spec: string): Promise<Embedder> {
  if (embedder?.spec === spec) return embedder.instance;
  await embedder?.instance.dispose();
  embedder = undefined;
  embedder = { spec, instance: await createEmbedder(spec) };
  return embedder.instance;
}

async function run(request: IndexRequest): Promise<void> {
  controller = new AbortController();
  gate.resume();
  const report = await indexRoots({
    roots: request.roots, dbDir: request.dbDir, corpus: request.corpus, embedder: await embedderFor(request.embedder), pool,
    walk: request.walk, chunk: request.chunkBudget ? { budget: request.chunkBudget } : undefined,
    gate, signal: controller.signal, onProgress: (progress) => post({ type: 'progress', progress }),
  });
  post({ type: 'done', report: { ...report } });
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
  else if (running) post({ type: 'error', name: 'ArgumentError', message: 'an indexing run is already going on in this worker' });
  else {
    running = true;
    run(message.request)
      .catch((error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        post({ type: 'error', name: e.name, message: e.message, reason: error instanceof ExpectedError ? error.reason : undefined });
      })
      .finally(() => (running = false));
  }
});
