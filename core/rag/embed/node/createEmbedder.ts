// The one place an Embedder is made from a spec (see common/embedderSpec.ts): static GloVe or
// model2vec, a local ONNX folder, or a hub model. With no spec, the default is the static GloVe
// embedder, which needs no download and no model runtime.

import { resolve } from 'node:path';
import { ArgumentError } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import { DEFAULT_EMBEDDER_SPEC, parseEmbedderSpec, type EmbedderSpec } from '../common/embedderSpec.js';
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
  }
}
