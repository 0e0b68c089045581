// Protocol types of the `search/*` and `files/*` areas: search a corpus, and read lines of a file
// inside an indexed root (what a shell shows for a result or a citation). Types only.

/** Which retrievers run: full-text only, vectors only, or both fused. */
export type SearchMode = 'bm25' | 'dense' | 'hybrid';

/** Restricts a search; every given condition must hold. */
export interface SearchFilters {
  /** Path globs relative to a root ("src/**\/*.ts"); "..", absolute paths and drive letters are refused (forbidden). */
  readonly paths?: readonly string[];
  /** Languages ("typescript", "markdown", "pdf"). */
  readonly languages?: readonly string[];
  /** Absolute root folders of the corpus; a folder that is not one of its roots is refused (forbidden). */
  readonly roots?: readonly string[];
}

/** `search/query`: the best chunks of a corpus for a query. */
export interface SearchQueryRequest {
  /** 1 to 2,000 characters. */
  readonly query: string;
  /** Default "default". */
  readonly corpus?: string;
  /** Results, 1 to 100; default 10. */
  readonly k?: number;
  /** Default "hybrid" ("bm25" for an embedder that cannot search by vectors). */
  readonly mode?: SearchMode;
  readonly filters?: SearchFilters;
}

/** One result: a chunk, or adjacent chunks of one file merged. */
export interface SearchHit {
  /** Absolute root folder, and the file's path relative to it ("/" separators). */
  readonly root: string;
  readonly path: string;
  readonly language: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** PDF page, 1-based. */
  readonly page?: number;
  readonly score: number;
  /** The parts of the score (bm25, dense, fused, rerank, ranks). */
  readonly scores: Readonly<Record<string, number>>;
  readonly text: string;
  /** Enclosing signature (code) or heading path (documents). */
  readonly context: string;
}

/** The result of `search/query`. */
export interface SearchQueryResult {
  readonly results: readonly SearchHit[];
}

/** `files/read`: lines of a file inside one of the corpus's roots. */
export interface FilesReadRequest {
  /** Absolute, or relative to the corpus's root when it has one root (else give `root`). */
  readonly path: string;
  /** The root `path` is relative to (one of the corpus's roots). */
  readonly root?: string;
  /** Default "default". */
  readonly corpus?: string;
  /** 1-based, inclusive; default the whole file (up to 1 MiB of text). */
  readonly startLine?: number;
  readonly endLine?: number;
}

/** The result of `files/read`. */
export interface FilesReadResult {
  /** The root the file is under, and its path relative to it. */
  readonly root: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  /** Lines in the file (of its first 64 MiB, when a line range is asked of a larger file). */
  readonly totalLines: number;
  readonly text: string;
}
