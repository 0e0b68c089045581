// The one interface between retrieval and any embedding model: a static embedder (model2vec,
// GloVe), a transformers.js ONNX model, or a remote OpenAI-compatible endpoint.

/** Turns text into dense vectors. Vectors are L2-normalized unless `normalized` is false. */
export interface Embedder {
  /**
   * Identity of the vectors: model, revision and every option that changes them. A table is
   * tied to it; a different id means a different table, never mixed vectors.
   */
  readonly id: string;
  readonly dimension: number;
  /** Longest input in the model's tokens; longer input is truncated by the model. */
  readonly maxTokens: number;
  readonly normalized: boolean;
  /** Length of `text` in the model's own tokens (chunk sizes are measured with it). */
  countTokens(text: string): number;
  /** Vectors of documents (with the model's document prefix, if it has one). */
  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Vector of a query (with the model's query prefix, if it has one). */
  embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array>;
  dispose(): Promise<void>;
}
