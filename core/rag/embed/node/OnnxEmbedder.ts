// A transformers.js ONNX embedding model behind the Embedder interface. The model runs in a
// worker thread (onnxWorker.ts), so embedding never blocks the calling thread; this side keeps
// the tokenizer (token counts are synchronous), applies the query/document prefixes, sends
// requests, and turns AbortSignals into cancel messages. Loading checks that the vectors the
// model really produces agree with its config (hidden_size, the Pooling module's dimension).

import { Worker } from 'node:worker_threads';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { CancelledError, ExpectedError, ErrorReason, ModelFileError, throwIfAborted } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import { formatEmbedderId, shortHash } from '../common/embedderId.js';
import { tokenizerFromJson } from '../common/hfTokenizer.js';
import { parseFromWorker, type FromWorker, type OnnxWorkerInit } from '../common/onnxWorkerProtocol.js';
import { resolveOnnxSettings, type OnnxSettings } from '../common/onnxSettings.js';
import type { OnnxModelSource } from './onnxModelSource.js';

/** Options of an ONNX embedder; settings left out come from the model's files. */
export interface OnnxEmbedderOptions extends Partial<OnnxSettings> {
  /** Texts per forward pass. Default 16. */
  readonly batchSize?: number;
  /** Longest sequence in tokens, special tokens included. Default: the tokenizer's model_max_length, else config max_position_embeddings, else 512. */
  readonly maxLength?: number;
  /** onnxruntime threads in the worker. Default: onnxruntime's choice. */
  readonly threads?: number;
  /** transformers.js cache folder (hub downloads). */
  readonly cacheDir?: string;
  /** Hub host, for hub models. */
  readonly remoteHost?: string;
}

interface Pending {
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

function workerUrl(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './onnxWorkerFromSources.mjs' : './onnxWorker.js', import.meta.url);
}

/** Longest sequence the model takes, from options, tokenizer_config.json or config.json. */
function modelMaxLength(source: OnnxModelSource, requested?: number): number {
  const fromTokenizer = Number(source.tokenizerConfig.model_max_length);
  const fromConfig = Number(source.config.max_position_embeddings);
  if (requested) return requested;
  if (Number.isSafeInteger(fromTokenizer) && fromTokenizer > 0 && fromTokenizer < 1_000_000) return fromTokenizer;
  if (Number.isSafeInteger(fromConfig) && fromConfig > 0) return fromConfig;
  return 512;
}

/** An Embedder running an ONNX model in a worker thread. */
export class OnnxEmbedder implements Embedder {
  readonly normalized: boolean;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private failure: Error | undefined;

  private constructor(
    readonly id: string,
    readonly dimension: number,
    readonly maxTokens: number,
    private readonly settings: OnnxSettings,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly worker: Worker,
  ) {
    this.normalized = settings.normalize;
    worker.on('message', (raw: unknown) => this.onMessage(parseFromWorker(raw)));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`embedding worker exited (code ${code})`)));
    worker.unref();
  }

  /** Starts the worker for `source` and waits until the model is loaded and checked. */
  static async create(source: OnnxModelSource, options: OnnxEmbedderOptions = {}): Promise<OnnxEmbedder> {
    const settings = resolveOnnxSettings(source.knownAs, source.sentenceTransformers, options, source.where);
    const tokenizer = tokenizerFromJson(source.tokenizerJson, source.tokenizerConfig, `${source.where}/tokenizer.json`);
    const maxLength = modelMaxLength(source, options.maxLength);
    const overhead = tokenizer.encode('', { add_special_tokens: true }).length;
    const prefixTokens = Math.max(...[settings.queryPrefix, settings.documentPrefix].map((p) => tokenizer.encode(p, { add_special_tokens: false }).length));
    const maxTokens = maxLength - overhead - prefixTokens;
    if (maxTokens <= 0) throw new ModelFileError(source.where, `a ${maxLength}-token model leaves no room for text after ${overhead} special and ${prefixTokens} prefix tokens`);
    const init: OnnxWorkerInit = {
      model: source.model, local: source.local, revision: source.revision, dtype: source.dtype, subfolder: source.subfolder,
      pooling: settings.pooling, normalize: settings.normalize, maxLength, batchSize: options.batchSize ?? 16,
      threads: options.threads, cacheDir: options.cacheDir, remoteHost: options.remoteHost,
    };
    const worker = new Worker(workerUrl(), { workerData: init });
    let dimension: number;
    try {
      dimension = await waitUntilReady(worker);
      checkDimension(source, dimension);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    const prompts = settings.queryPrefix || settings.documentPrefix ? shortHash(`${settings.queryPrefix}\0${settings.documentPrefix}`) : undefined;
    const id = formatEmbedderId({
      kind: source.local ? 'onnx' : 'hub',
      name: source.name,
      version: source.version,
      options: { dtype: source.dtype, pooling: settings.pooling, normalize: settings.normalize, maxTokens, prompts },
    });
    return new OnnxEmbedder(id, dimension, maxTokens, settings, tokenizer, worker);
  }

  /** The query and document prefixes in use. */
  get prefixes(): { readonly query: string; readonly document: string } {
    return { query: this.settings.queryPrefix, document: this.settings.documentPrefix };
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text, { add_special_tokens: false }).length;
  }

  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.request(texts.map((t) => this.settings.documentPrefix + t), signal);
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    return (await this.request([this.settings.queryPrefix + text], signal))[0];
  }

  /** Embeds `texts` exactly as given (no prefix). */
  request(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    try {
      throwIfAborted(signal, 'embedding');
    } catch (error) {
      return Promise.reject(error);
    }
    if (texts.length === 0) return Promise.resolve([]);
    const requestId = this.nextRequestId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(requestId)) return;
        this.worker.postMessage({ type: 'cancel', requestId });
        this.updateRef();
        reject(new CancelledError('embedding'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(requestId, {
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
      });
      this.updateRef();
      this.worker.postMessage({ type: 'embed', requestId, texts: [...texts] });
    });
  }

  async dispose(): Promise<void> {
    this.failAll(new ExpectedError(ErrorReason.Cancelled, 'the embedder was disposed'));
    await this.worker.terminate();
  }

  /** Keeps the process alive while requests are pending, and only then. */
  private updateRef(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private settle(requestId: number): Pending | undefined {
    const pending = this.pending.get(requestId);
    this.pending.delete(requestId);
    this.updateRef();
    return pending;
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'result') {
      const { dimension, vectors } = message;
      const out: Float32Array[] = [];
      for (let i = 0; i < vectors.length; i += dimension) out.push(vectors.slice(i, i + dimension));
      this.settle(message.requestId)?.resolve(out);
    } else if (message.type === 'error') {
      if (message.requestId === null) this.failAll(new Error(message.message));
      else this.settle(message.requestId)?.reject(new Error(`embedding failed: ${message.message}`));
    }
    // 'cancelled': the promise was already rejected when the signal fired.
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.updateRef();
    for (const p of pending) p.reject(error);
  }
}

/** Resolves with the model's dimension when the worker reports ready; rejects on its load error. */
function waitUntilReady(worker: Worker): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      const message = parseFromWorker(raw);
      cleanup();
      if (message.type === 'ready') resolve(message.dimension);
      else reject(new ExpectedError(ErrorReason.ModelFile, message.type === 'error' ? message.message : `unexpected ${message.type} before ready`));
    };
    const onError = (error: Error) => (cleanup(), reject(error));
    const onExit = (code: number) => (cleanup(), reject(new Error(`embedding worker exited while loading (code ${code})`)));
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Fails when the model's config disagrees with the vectors it produces. */
function checkDimension(source: OnnxModelSource, dimension: number): void {
  const hidden = source.config.hidden_size ?? source.config.d_model ?? source.config.n_embd;
  if (typeof hidden === 'number' && hidden !== dimension) {
    throw new ModelFileError(`${source.where}/config.json`, `hidden_size is ${hidden} but the model outputs ${dimension}-dimensional vectors`);
  }
  const pooled = (source.sentenceTransformers.pooling as { word_embedding_dimension?: unknown } | undefined)?.word_embedding_dimension;
  if (typeof pooled === 'number' && pooled !== dimension) {
    throw new ModelFileError(`${source.where}/1_Pooling/config.json`, `word_embedding_dimension is ${pooled} but the model outputs ${dimension}-dimensional vectors`);
  }
}
