// The embedding worker thread: loads an ONNX model with transformers.js (feature extraction,
// from a local folder or the hub), then embeds the texts of each request in batches — longest
// texts first so each batch pads little — pooling and normalizing as configured. Requests run
// one at a time; between two batches the worker yields, so a cancel message stops a request
// within one batch. Nothing here blocks the thread that owns the embedder.

import { env, pipeline, type FeatureExtractionPipeline, type Tensor } from '@huggingface/transformers';
import { parentPort, workerData } from 'node:worker_threads';
import { parseToWorker, parseWorkerInit, type FromWorker, type ToWorker } from '../common/onnxWorkerProtocol.js';
import { poolTokenVectors } from '../common/pooling.js';

type EmbedRequest = Extract<ToWorker, { type: 'embed' }>;

const init = parseWorkerInit(workerData);
const port = parentPort!;
const queue: EmbedRequest[] = [];
const cancelled = new Set<number>();
let draining = false;
let dimension = 0;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

async function loadExtractor(): Promise<FeatureExtractionPipeline> {
  env.allowLocalModels = init.local;
  env.allowRemoteModels = !init.local;
  if (init.cacheDir) env.cacheDir = init.cacheDir;
  if (init.remoteHost) env.remoteHost = init.remoteHost;
  return pipeline('feature-extraction', init.model, {
    dtype: init.dtype as 'fp32',
    subfolder: init.subfolder,
    revision: init.revision,
    local_files_only: init.local,
    session_options: init.threads ? { intraOpNumThreads: init.threads, interOpNumThreads: 1 } : {},
  });
}

/** Vectors of one batch of texts. */
async function embedBatch(extractor: FeatureExtractionPipeline, texts: string[]): Promise<Float32Array[]> {
  const inputs = extractor.tokenizer(texts, { padding: true, truncation: true, max_length: init.maxLength });
  const outputs = (await extractor.model(inputs)) as Record<string, Tensor>;
  const hidden = outputs.last_hidden_state ?? outputs.token_embeddings ?? Object.values(outputs)[0];
  const mask = inputs.attention_mask as Tensor;
  if (hidden.dims.length === 2) {
    // The graph pools by itself (a sentence_embedding output): only normalize.
    const [batch, width] = hidden.dims;
    const flat = hidden.data as Float32Array;
    return poolTokenVectors(flat, [batch, 1, width], new Array<number>(batch).fill(1), 'cls', init.normalize);
  }
  return poolTokenVectors(hidden.data as Float32Array, hidden.dims as [number, number, number], mask.data as BigInt64Array, init.pooling, init.normalize);
}

const yieldToMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(extractor: FeatureExtractionPipeline, request: EmbedRequest): Promise<void> {
  const { requestId, texts } = request;
  const order = texts.map((_, i) => i).sort((a, b) => texts[b].length - texts[a].length);
  const vectors = new Float32Array(texts.length * dimension);
  for (let start = 0; start < order.length; start += init.batchSize) {
    await yieldToMessages();
    if (cancelled.delete(requestId)) return post({ type: 'cancelled', requestId });
    const indices = order.slice(start, start + init.batchSize);
    const pooled = await embedBatch(extractor, indices.map((i) => texts[i]));
    indices.forEach((textIndex, k) => vectors.set(pooled[k], textIndex * dimension));
  }
  cancelled.delete(requestId);
  post({ type: 'result', requestId, dimension, vectors }, [vectors.buffer]);
}

async function drain(extractor: FeatureExtractionPipeline): Promise<void> {
  if (draining) return;
  draining = true;
  while (queue.length) {
    const request = queue.shift()!;
    try {
      await run(extractor, request);
    } catch (error) {
      post({ type: 'error', requestId: request.requestId, message: (error as Error).message ?? String(error) });
    }
  }
  draining = false;
}

async function start(): Promise<void> {
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await loadExtractor();
    dimension = (await embedBatch(extractor, ['probe']))[0].length;
  } catch (error) {
    post({ type: 'error', requestId: null, message: `cannot load ${init.model}: ${(error as Error).message ?? String(error)}` });
    return;
  }
  port.on('message', (raw: unknown) => {
    const message = parseToWorker(raw);
    if (message.type === 'cancel') {
      const queued = queue.findIndex((r) => r.requestId === message.requestId);
      if (queued >= 0) {
        queue.splice(queued, 1);
        post({ type: 'cancelled', requestId: message.requestId });
      } else {
        cancelled.add(message.requestId);
      }
      return;
    }
    queue.push(message);
    void drain(extractor);
  });
  post({ type: 'ready', dimension });
}

void start();
