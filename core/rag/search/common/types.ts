// What a search asks and what it returns.

import type { Chunk } from '../../common/chunk.js';

/** Which retrievers run: full-text only, vectors only, or both fused. */
export type SearchMode = 'bm25' | 'dense' | 'hybrid';

/** The search modes, for argument checks and help. */
export const SEARCH_MODES: readonly SearchMode[] = ['bm25', 'dense', 'hybrid'];

/** Restricts a search to some files. Every given condition must hold. */
export interface SearchFilter {
  /** Path globs relative to the root ("src/**\/*.ts", "*.md"); a path matching any is kept. */
  readonly paths?: readonly string[];
  /** Languages ("typescript", "markdown"); a chunk of any of them is kept. */
  readonly languages?: readonly string[];
  /** Absolute root folders; a chunk under any of them is kept. */
  readonly roots?: readonly string[];
}

/** Options of a search. */
export interface SearchOptions {
  /** Results to return; default 10. */
  readonly k?: number;
  /** Default "hybrid". */
  readonly mode?: SearchMode;
  readonly filter?: SearchFilter;
  /** Merge overlapping and adjacent chunks of one file into one result; default true. */
  readonly mergeAdjacent?: boolean;
  /** Candidates taken from each retriever before fusion; default 100. */
  readonly candidates?: number;
  /** Rerank the fused candidates with the retriever's reranker, if it has one; default true. */
  readonly rerank?: boolean;
  readonly signal?: AbortSignal;
}

/** The scores behind a result. Absent parts mean that retriever did not return the chunk. */
export interface ScoreParts {
  /** BM25 score from LanceDB's full-text index. */
  readonly bm25?: number;
  /** Cosine similarity of query and chunk vectors. */
  readonly dense?: number;
  /** Weighted reciprocal-rank-fusion score (for a single mode: that mode's score). */
  readonly fused: number;
  /** Cross-encoder score, when reranked. */
  readonly rerank?: number;
  /** 1-based ranks in each retriever's list. */
  readonly bm25Rank?: number;
  readonly denseRank?: number;
  /** Weight the dense side got for this query (hybrid only; see fusion.ts). */
  readonly denseWeight?: number;
}

/**
 * One result: a chunk, or several adjacent chunks of one file merged (then `startLine`..`endLine`
 * spans them and `text` holds each of their lines once).
 */
export interface SearchResult extends Omit<Chunk, 'ordinal'> {
  /** The final ordering score (rerank if reranked, else fused). */
  readonly score: number;
  readonly scores: ScoreParts;
  /** Ordinals of the chunks this result covers, ascending. */
  readonly ordinals: readonly number[];
}
