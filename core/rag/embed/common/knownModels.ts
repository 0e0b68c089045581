// What the model cards of common ONNX sentence-embedding models say and their config files may
// not: the query and document prefixes each was trained with, its pooling and its normalization.
// Matched on the model name (hub id or folder name, case-insensitive). A model's own
// sentence-transformers files override this table; explicit options override both.

/** How token vectors become one vector. */
export type Pooling = 'mean' | 'cls' | 'last';

/** Settings a known model needs. */
export interface KnownModel {
  /** Matched against the lowercased model name. */
  readonly pattern: RegExp;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly queryPrefix: string;
  readonly documentPrefix: string;
}

const BGE_QUERY = 'Represent this sentence for searching relevant passages: ';

/** The table, first match wins. */
export const KNOWN_MODELS: readonly KnownModel[] = [
  // BAAI bge v1.5 (en): CLS pooling, an instruction for queries only.
  { pattern: /bge-(small|base|large)-en/, pooling: 'cls', normalize: true, queryPrefix: BGE_QUERY, documentPrefix: '' },
  // bge-m3 and bge multilingual: CLS, no instruction.
  { pattern: /bge-m3|bge-.*-zh/, pooling: 'cls', normalize: true, queryPrefix: '', documentPrefix: '' },
  { pattern: /nomic-embed-text/, pooling: 'mean', normalize: true, queryPrefix: 'search_query: ', documentPrefix: 'search_document: ' },
  { pattern: /(^|[/_-])e5-|multilingual-e5/, pooling: 'mean', normalize: true, queryPrefix: 'query: ', documentPrefix: 'passage: ' },
  { pattern: /snowflake-arctic-embed|mxbai-embed-large/, pooling: 'cls', normalize: true, queryPrefix: BGE_QUERY, documentPrefix: '' },
  { pattern: /gte-(small|base|large)|all-minilm|all-mpnet|paraphrase-|multi-qa-|jina-embeddings-v2/, pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '' },
];

/** The known settings of `name`, if any. */
export function findKnownModel(name: string): KnownModel | undefined {
  const lower = name.toLowerCase();
  return KNOWN_MODELS.find((model) => model.pattern.test(lower));
}
