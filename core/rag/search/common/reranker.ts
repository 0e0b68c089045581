// The optional reranking step: a model that reads query and passage together (a cross-encoder)
// and scores each candidate. Retrieval works without one.

/** Scores passages against a query; higher is more relevant. */
export interface Reranker {
  /** Model identity (shown in results' provenance and logs). */
  readonly id: string;
  /** One score per passage, same order. */
  score(query: string, passages: readonly string[], signal?: AbortSignal): Promise<number[]>;
  dispose(): Promise<void>;
}

/** How many fused candidates are reranked by default. */
export const RERANK_CANDIDATES = 30;
