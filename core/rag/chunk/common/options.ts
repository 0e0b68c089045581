// Chunk sizes and how they are measured: every size is in tokens of the embedder's own
// tokenizer, through the `countTokens` function the caller passes (Embedder.countTokens).

import { ArgumentError } from '../../../base/common/errors.js';

/** Settings of every chunker. Sizes count the chunk's text plus its context. */
export interface ChunkOptions {
  /** Length of a text in the embedder's tokens (Embedder.countTokens). Called once per line. */
  readonly countTokens: (text: string) => number;
  /** Target size of a chunk in tokens: units are packed up to it and split above it. Default 384. */
  readonly budget?: number;
  /**
   * Hard ceiling in tokens, normally the embedder's maxTokens; default: the budget. Only a single
   * line longer than the budget may use the room between budget and ceiling; a line longer than
   * the ceiling is cut (the one case where a chunk boundary falls inside a line).
   */
  readonly maxTokens?: number;
  /**
   * Tokens of a document section's previous piece repeated (as whole lines) at the start of the
   * next piece when the section is split. Code is never overlapped. Default: budget / 8.
   */
  readonly overlapTokens?: number;
  /** Segments below this size are "tiny" and merged with tiny neighbours. Default: budget / 12. */
  readonly tinyTokens?: number;
}

/** ChunkOptions with every default applied and checked. */
export interface ResolvedChunkOptions {
  readonly countTokens: (text: string) => number;
  readonly budget: number;
  readonly maxTokens: number;
  readonly overlapTokens: number;
  readonly tinyTokens: number;
}

/** Default target size of a chunk, in tokens. */
export const DEFAULT_CHUNK_BUDGET = 384;

/** Applies the defaults; throws ArgumentError naming a bad value. */
export function resolveChunkOptions(options: ChunkOptions): ResolvedChunkOptions {
  const maxTokens = options.maxTokens ?? Math.max(options.budget ?? DEFAULT_CHUNK_BUDGET, 1);
  const budget = Math.min(options.budget ?? DEFAULT_CHUNK_BUDGET, maxTokens);
  if (!(budget >= 8) || !Number.isFinite(budget)) {
    throw new ArgumentError(`Chunk budget must be a number of tokens >= 8, got ${options.budget} (maxTokens ${options.maxTokens}).`);
  }
  const overlapTokens = options.overlapTokens ?? Math.floor(budget / 8);
  const tinyTokens = options.tinyTokens ?? Math.floor(budget / 12);
  if (!(overlapTokens >= 0 && overlapTokens < budget / 2)) {
    throw new ArgumentError(`overlapTokens must be in [0, budget / 2), got ${overlapTokens} for budget ${budget}.`);
  }
  return { countTokens: options.countTokens, budget, maxTokens, overlapTokens, tinyTokens };
}
