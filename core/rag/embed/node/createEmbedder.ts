// The one place an Embedder is made from a spec (see common/embedderSpec.ts): static GloVe or
// model2vec, a local ONNX folder, a hub model, or a model on an OpenAI-compatible server. With no
// spec, the default is the static GloVe embedder, which needs no download and no model runtime.

import { resolve } from 'node:path';
import { ArgumentError } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import { OpenAiEmbeddingClient } from '../../../models/openai/common/OpenAiEmbeddingClient.js';
import { apiKeyFromEnv, type OpenAiSettings } from '../../../models/openai/common/settings.js';
import { DEFAULT_EMBEDDER_SPEC, parseEmbedderSpec, type EmbedderSpec } from '../common/embedderSpec.js';
import { RemoteEmbedder } from '../common/RemoteEmbedder.js';
import { findGloveFolder, GLOVE_FOLDER_NAME, loadGloveEmbedder, loadModel2VecEmbedder } from './loadStaticEmbedder.js';

/** Settings that are not part of an embedder's identity. */
export interface EmbedderContext {
  /** Base for relative folders in specs. Default: the process's working directory. */
  readonly cwd?: string;
  /** transformers.js cache folder for hub downloads. */
  readonly cacheDir?: string;
  /** Hub host (a mirror). Default https://huggingface.co/. */
  readonly hubHost?: string;
  /** onnxruntime threads for ONNX models (overridden by a spec's `threads`). */
  readonly threads?: number;
  /** API key for `openai:` specs (never part of a spec). Default: PINPOINT_OPENAI_API_KEY, else OPENAI_API_KEY. */
  readonly apiKey?: string;
  /** Further connection settings for `openai:` specs (timeouts, retries, headers, fetch). */
  readonly remote?: Omit<OpenAiSettings, 'baseUrl' | 'apiKey' | 'embeddingModel' | 'embeddingBatchSize' | 'embeddingEncoding'>;
  /** Environment for the API key. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Cancels what creation waits for (an `openai:` spec's dimension probe). */
  readonly signal?: AbortSignal;
}

/** Creates the embedder named by `spec` (default DEFAULT_EMBEDDER_SPEC). */
export async function createEmbedder(spec: string | EmbedderSpec = DEFAULT_EMBEDDER_SPEC, context: EmbedderContext = {}): Promise<Embedder> {
  const parsed = typeof spec === 'string' ? parseEmbedderSpec(spec) : spec;
  const folder = (path: string) => resolve(context.cwd ?? process.cwd(), path);
  const { options } = parsed;
  switch (parsed.kind) {
    case 'glove': {
      const at = parsed.folder ? folder(parsed.folder) : await findGloveFolder();
      if (!at) throw new ArgumentError(`the bundled GloVe vectors (${GLOVE_FOLDER_NAME}) were not found: set PINPOINT_GLOVE_DIR to their folder, or name one with static:glove:<folder>`);
      return loadGloveEmbedder(at, { weighting: options.weighting, sifA: options.a, maxTokens: options.maxTokens });
    }
    case 'model2vec':
      return loadModel2VecEmbedder(folder(parsed.folder), { maxTokens: options.maxTokens, normalize: options.normalize });
    case 'onnx': {
      // ONNX support (transformers.js, onnxruntime: ~150 MB of RSS) is loaded only when asked for.
      const { inspectOnnxFolder } = await import('./onnxModelSource.js');
      const { OnnxEmbedder } = await import('./OnnxEmbedder.js');
      return OnnxEmbedder.create(await inspectOnnxFolder(folder(parsed.folder), options.dtype), { ...options, threads: options.threads ?? context.threads });
    }
    case 'hub': {
      const { fetchHubModel } = await import('./onnxModelSource.js');
      const { OnnxEmbedder } = await import('./OnnxEmbedder.js');
      const source = await fetchHubModel(parsed.id, { revision: parsed.revision, dtype: options.dtype, host: context.hubHost });
      return OnnxEmbedder.create(source, { ...options, threads: options.threads ?? context.threads, cacheDir: context.cacheDir, remoteHost: context.hubHost });
    }
    case 'openai': {
      const client = new OpenAiEmbeddingClient({
        ...context.remote, baseUrl: parsed.baseUrl, apiKey: context.apiKey ?? apiKeyFromEnv(context.env ?? process.env),
        embeddingModel: parsed.model, embeddingBatchSize: options.batchSize, embeddingEncoding: options.encoding,
      }, { dimensions: options.dimensions });
      return RemoteEmbedder.create(client, { maxTokens: options.maxTokens, queryPrefix: options.queryPrefix, documentPrefix: options.documentPrefix, signal: context.signal });
    }
  }
}
