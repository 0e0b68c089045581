// An Embedder over a model on an OpenAI-compatible server (Ollama, LM Studio, vLLM, llama.cpp's
// llama-server), through a RemoteEmbeddingClient (core/models/openai). What the server cannot
// tell is settled here:
//
// - Tokens: the server's tokenizer is out of reach, so countTokens is the ESTIMATE the remote
//   chat model uses too (models/openai/common/tokenEstimate.ts: one token per 3 bytes of UTF-8,
//   which errs towards more tokens, so chunks come out shorter than the model's limit, not longer).
//   `maxTokens` (default 512, the limit of most embedding models) is in estimated tokens, and a
//   text above it, prefix included, is cut there before it is sent.
// - Dimension: learned at creation by embedding one probe text, since tables are created with it
//   (checked the same way when `dimensions` was asked for).
// - Prefixes: the known-models table (nomic-embed-text: `search_query: ` / `search_document: `,
//   e5, bge ...) matched on the model name, unless given.
// - Vectors are L2-normalized here whatever the server does (most already are), so `normalized`
//   holds.
//
// Id: `openai:<host>/<model>@<dimension>d?maxTokens=...&prompts=<fnv32>` (common/embedderId.ts).
// The server's weights cannot be hashed: the vector length stands for the version, so a model
// swapped for one of another length gets a new table. Batch size and encoding are not in the id.

import { ArgumentError } from '../../../base/common/errors.js';
import type { RemoteEmbeddingClient } from '../../../models/openai/common/OpenAiEmbeddingClient.js';
import { BYTES_PER_ESTIMATED_TOKEN, estimateTokens, utf8Bytes } from '../../../models/openai/common/tokenEstimate.js';
import type { Embedder } from '../../common/embedder.js';
import { formatEmbedderId, shortHash } from './embedderId.js';
import { findKnownModel } from './knownModels.js';
import { l2Normalize } from './vectors.js';

/** Default longest input, in estimated tokens. */
export const REMOTE_DEFAULT_MAX_TOKENS = 512;

/** Options of a remote embedder; all optional. */
export interface RemoteEmbedderOptions {
  /** Longest input in estimated tokens (prefix included); longer texts are cut. Default 512. */
  readonly maxTokens?: number;
  /** Prepended to queries. Default: the known-models table for the model name, else none. */
  readonly queryPrefix?: string;
  /** Prepended to documents. Default: the known-models table for the model name, else none. */
  readonly documentPrefix?: string;
  /** Cancels the dimension probe. */
  readonly signal?: AbortSignal;
}

/** The longest start of `text` within `maxBytes` bytes of UTF-8 (never half a surrogate pair). */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const high = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length;
    const size = high ? 4 : utf8Bytes(text[i]);
    if (bytes + size > maxBytes) return text.slice(0, i);
    bytes += size;
    if (high) i++;
  }
  return text;
}

/** Dense vectors from a model on an OpenAI-compatible server. */
export class RemoteEmbedder implements Embedder {
  readonly normalized = true;

  private constructor(
    readonly id: string,
    readonly dimension: number,
    readonly maxTokens: number,
    readonly prefixes: { readonly query: string; readonly document: string },
    private readonly client: RemoteEmbeddingClient,
  ) {}

  /**
   * An embedder over `client`, its dimension learned from the server (one probe request).
   * @throws ArgumentError for bad options; RemoteError when the server cannot be reached or answers badly.
   */
  static async create(client: RemoteEmbeddingClient, options: RemoteEmbedderOptions = {}): Promise<RemoteEmbedder> {
    const known = findKnownModel(client.model);
    const query = options.queryPrefix ?? known?.queryPrefix ?? '';
    const document = options.documentPrefix ?? known?.documentPrefix ?? '';
    const maxTokens = options.maxTokens ?? REMOTE_DEFAULT_MAX_TOKENS;
    const prefixTokens = Math.max(estimateTokens(query), estimateTokens(document));
    if (!Number.isSafeInteger(maxTokens) || maxTokens <= prefixTokens) {
      throw new ArgumentError(`Invalid maxTokens for ${client.id}: ${maxTokens}. Should be an integer above the prefixes' ${prefixTokens} estimated tokens.`);
    }
    // One request even when the length is known (dimensions=): a server that is down, or ignores
    // the length asked for, fails here rather than in the middle of an index run.
    const dimension = client.dimension === undefined ? await client.detectDimension(options.signal) : (await client.embed(['dimension probe'], options.signal))[0].length;
    const colon = client.id.indexOf(':');
    const id = formatEmbedderId({
      kind: client.id.slice(0, colon),
      name: client.id.slice(colon + 1),
      version: `${dimension}d`,
      options: { maxTokens, prompts: query || document ? shortHash(`${query}\0${document}`) : undefined },
    });
    return new RemoteEmbedder(id, dimension, maxTokens, { query, document }, client);
  }

  countTokens(text: string): number {
    return estimateTokens(text);
  }

  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.embed(texts, this.prefixes.document, signal);
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const [vector] = await this.embed([text], this.prefixes.query, signal);
    return vector;
  }

  /** Nothing to release: each request is its own fetch. */
  async dispose(): Promise<void> {}

  private async embed(texts: readonly string[], prefix: string, signal: AbortSignal | undefined): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const room = this.maxTokens * BYTES_PER_ESTIMATED_TOKEN - utf8Bytes(prefix);
    const inputs = texts.map((text) => prefix + (estimateTokens(prefix + text) > this.maxTokens ? cutToBytes(text, room) : text));
    const vectors = await this.client.embed(inputs, signal);
    return vectors.map(l2Normalize);
  }
}
