// The model catalog: recommended chat models (one GGUF file) and embedders (a folder of ONNX and
// tokenizer files), each with where its files come from, their sizes and sha256 when known, its
// license and an estimate of the memory it needs. The data is resources/models/catalog.json;
// validateCatalog.ts checks it when it is loaded.

/** What a model is for. */
export type ModelKind = 'chat' | 'embedding';

/** How a model is stored: one GGUF file, or a folder (ONNX weights, config and tokenizer files). */
export type ModelFormat = 'gguf' | 'folder';

/** One file of a catalog model. */
export interface CatalogFile {
  /** Path inside the model's folder, `/`-separated, e.g. `onnx/model_quantized.onnx`. */
  readonly path: string;
  /** Where to download it (a Hugging Face `resolve/<revision>/<path>` URL for the shipped catalog). */
  readonly url: string;
  /** Size in bytes, or null when no public source states it (the server's is used). */
  readonly size: number | null;
  /** sha256 (hex), or null when no public source states it (the server-declared one is used). */
  readonly sha256: string | null;
}

/** How much memory a model needs, estimated (see resources/models/README.md for the formula). */
export interface MemoryEstimate {
  /** Context the estimate is for, in tokens (4096 for chat models, the chunk length for embedders). */
  readonly contextTokens: number;
  /** Bytes of weights held in memory. */
  readonly weightsBytes: number;
  /** Bytes of KV cache for `contextTokens` at f16 (0 for embedders). */
  readonly kvCacheBytes: number;
  /** Estimated RAM in all: weights + KV cache + runtime buffers. */
  readonly ramBytes: number;
}

/** What an embedder's user needs to know to call it right. */
export interface EmbeddingInfo {
  /** Length of its vectors. */
  readonly dimensions: number;
  /** How token vectors become one vector (from the model's 1_Pooling/config.json). */
  readonly pooling: 'cls' | 'mean';
  /** Longest input in tokens. */
  readonly maxTokens: number;
  /** transformers.js dtype of the ONNX file listed (`q8` = onnx/model_quantized.onnx). */
  readonly dtype: string;
  /** Text put before a query, e.g. `search_query: ` (empty when none). */
  readonly queryPrefix: string;
  /** Text put before a document, e.g. `search_document: ` (empty when none). */
  readonly documentPrefix: string;
}

/** One model of the catalog. */
export interface CatalogEntry {
  /** Stable id, also its cache folder name: lowercase, e.g. `qwen2.5-0.5b-instruct-q4_k_m`. */
  readonly id: string;
  readonly displayName: string;
  readonly kind: ModelKind;
  readonly format: ModelFormat;
  /** License id, e.g. `apache-2.0`, `mit`, `llama3.2`. */
  readonly license: string;
  readonly licenseUrl?: string;
  /** Hugging Face repository the files come from, e.g. `Qwen/Qwen2.5-0.5B-Instruct-GGUF`. */
  readonly repository?: string;
  /** Commit of `repository` the URLs are pinned to (or a branch name). */
  readonly revision?: string;
  /** Parameter count as published, e.g. `0.49B`. */
  readonly parameters?: string;
  /** Quantization of a GGUF, e.g. `Q4_K_M`. */
  readonly quantization?: string;
  /** Longest context the model was trained for, in tokens. */
  readonly contextLength?: number;
  readonly description?: string;
  readonly files: readonly CatalogFile[];
  /** Sum of the file sizes, or null when one of them is unknown. */
  readonly sizeBytes: number | null;
  readonly memory: MemoryEstimate;
  /** For embedders only. */
  readonly embedding?: EmbeddingInfo;
}

/** The whole catalog. */
export interface Catalog {
  readonly schemaVersion: 1;
  readonly models: readonly CatalogEntry[];
}

/** The catalog entry with this id, or undefined. */
export function findCatalogEntry(catalog: Catalog, id: string): CatalogEntry | undefined {
  return catalog.models.find((entry) => entry.id === id);
}

/** The file a runtime opens: the GGUF of a chat model, `.` (the folder) for a folder model. */
export function primaryPath(entry: Pick<CatalogEntry, 'format' | 'files'>): string {
  return entry.format === 'gguf' ? entry.files[0].path : '.';
}
