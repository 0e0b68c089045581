// Embeddings from an OpenAI-compatible server: POST /embeddings in batches of
// `embeddingBatchSize` texts, one batch at a time, results kept in input order; retries of
// 429/5xx come from the transport. The vector length is learned from the first answer (or given)
// and held: a server that later answers with another length fails loudly, naming the endpoint and
// the model, since an index built with the old vectors cannot take the new ones.

import { ArgumentError, throwIfAborted } from '../../../base/common/errors.js';
import { readEmbeddings } from './embeddingProtocol.js';
import { RemoteError } from './RemoteError.js';
import { resolveOpenAiSettings, type OpenAiSettings, type ResolvedOpenAiSettings } from './settings.js';
import { sendRequest } from './transport.js';

/** Dense vectors from a remote server, for an adapter to wrap as an Embedder. */
export interface RemoteEmbeddingClient {
  /** Index identity: `openai:<host>/<model>`, e.g. `openai:127.0.0.1:11434/nomic-embed-text`. */
  readonly id: string;
  readonly model: string;
  /** Vector length: given, or learned from the first answer; undefined before. */
  readonly dimension: number | undefined;
  /**
   * Vectors of `texts`, in the same order.
   * @throws RemoteError (HTTP, connection, timeout, protocol, `dimension` when the length changed), CancelledError.
   */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** The vector length, embedding one short text to learn it if no answer came yet. */
  detectDimension(signal?: AbortSignal): Promise<number>;
}

/** Options of an embedding client beyond the connection settings. */
export interface EmbeddingClientOptions {
  /** Model name; default: the settings' embeddingModel. */
  readonly model?: string;
  /** Expected vector length (e.g. that of an existing index); default: learned from the first answer. */
  readonly dimension?: number;
  /**
   * Vector length to ask for (the `dimensions` parameter: Matryoshka models, OpenAI's
   * text-embedding-3); also the expected length, so a server that ignores it fails with a
   * `dimension` error. Default: not sent (the model's own length).
   */
  readonly dimensions?: number;
}

/** Embeddings from an OpenAI-compatible server. */
export class OpenAiEmbeddingClient implements RemoteEmbeddingClient {
  readonly settings: ResolvedOpenAiSettings;
  readonly model: string;
  readonly id: string;
  /** The `dimensions` asked for, if any. */
  readonly dimensions: number | undefined;
  private knownDimension: number | undefined;

  /** @throws ArgumentError for bad settings, no model, or a bad dimension. */
  constructor(settings: OpenAiSettings | ResolvedOpenAiSettings, options: EmbeddingClientOptions = {}) {
    this.settings = 'apiBase' in settings ? settings : resolveOpenAiSettings(settings);
    const model = options.model ?? this.settings.embeddingModel;
    if (!model) throw new ArgumentError(`No embedding model named for ${this.settings.apiBase}: set embeddingModel (e.g. "nomic-embed-text").`);
    for (const [name, value] of [['dimension', options.dimension], ['dimensions', options.dimensions]] as const) {
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
        throw new ArgumentError(`Invalid embedding ${name}: ${value}. Should be an integer >= 1.`);
      }
    }
    if (options.dimension !== undefined && options.dimensions !== undefined && options.dimension !== options.dimensions) {
      throw new ArgumentError(`Embedding dimensions ${options.dimensions} asked for, but ${options.dimension} expected: they should be equal.`);
    }
    this.model = model;
    this.id = `openai:${this.settings.host}/${model}`;
    this.dimensions = options.dimensions;
    this.knownDimension = options.dimension ?? options.dimensions;
  }

  get dimension(): number | undefined {
    return this.knownDimension;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new ArgumentError('embed() takes a list of strings.');
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.settings.embeddingBatchSize) {
      throwIfAborted(signal, `embedding with ${this.id}`);
      out.push(...(await this.embedBatch(texts.slice(start, start + this.settings.embeddingBatchSize), signal)));
    }
    return out;
  }

  async detectDimension(signal?: AbortSignal): Promise<number> {
    if (this.knownDimension === undefined) await this.embed(['dimension probe'], signal);
    return this.knownDimension!;
  }

  private async embedBatch(batch: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const body: Record<string, unknown> = { model: this.model, input: batch };
    if (this.settings.embeddingEncoding === 'base64') body.encoding_format = 'base64';
    if (this.dimensions !== undefined) body.dimensions = this.dimensions;
    const response = await sendRequest(this.settings, { method: 'POST', path: '/embeddings', body, accept: 'application/json', signal });
    const vectors = readEmbeddings(await response.json(), batch.length, response.endpoint);
    const length = vectors[0].length;
    if (this.dimensions !== undefined && length !== this.dimensions) {
      throw new RemoteError(
        response.endpoint, 'dimension',
        `model "${this.model}" returned vectors of ${length} dimensions where ${this.dimensions} were asked for; the server or the model ignores the "dimensions" parameter`,
      );
    }
    if (this.knownDimension !== undefined && length !== this.knownDimension) {
      throw new RemoteError(
        response.endpoint, 'dimension',
        `model "${this.model}" returned vectors of ${length} dimensions where ${this.knownDimension} were expected; the model behind the endpoint changed, and vectors of both lengths cannot share an index`,
      );
    }
    this.knownDimension = length;
    return vectors;
  }
}
