// The --reranker flag that `search`, `ask` and `chat` share (and `serve` passes to the service):
// a local cross-encoder model folder whose scores reorder the first results of a search.

import { resolve } from 'node:path';
import { ExpectedError } from '../base/common/errors.js';
import { RERANK_CANDIDATES, type Reranker } from '../rag/search/common/reranker.js';
import { CrossEncoderReranker, inspectCrossEncoderFolder } from '../rag/search/node/CrossEncoderReranker.js';

/** The flag's declaration, for defineCommand. */
export const RERANKER_FLAG = {
  type: 'string',
  valueName: 'DIR',
  description: `Rerank the first ${RERANK_CANDIDATES} results with a local cross-encoder model folder (config.json, tokenizer.json, onnx/model.onnx; e.g. an MS MARCO MiniLM cross-encoder).`,
} as const;

/** Runs `load`; an ExpectedError is rethrown with the flag named (its reason, hence exit code, kept). */
async function naming<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ExpectedError) throw new ExpectedError(error.reason, `--reranker: ${error.message}`);
    throw error;
  }
}

/**
 * The cross-encoder in `folder` (relative to the working directory), or undefined without one.
 * @throws ExpectedError naming the flag and the folder when it is not a usable cross-encoder (a
 * missing folder or ONNX file: bad argument; a bad or missing config or tokenizer: model file).
 */
export async function openReranker(folder: string | undefined): Promise<Reranker | undefined> {
  return folder === undefined ? undefined : naming(() => CrossEncoderReranker.create(resolve(folder)));
}

/**
 * `folder` as an absolute path, after checking that it holds a cross-encoder (without loading it),
 * for a service that loads it later; undefined without one. Throws as {@link openReranker}.
 */
export async function checkRerankerFolder(folder: string | undefined): Promise<string | undefined> {
  if (folder === undefined) return undefined;
  const absolute = resolve(folder);
  await naming(() => inspectCrossEncoderFolder(absolute));
  return absolute;
}
