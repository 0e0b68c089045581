// The rows of a chunk table: one per chunk, plus one marker row for a file that produced no
// chunk (so that incremental indexing knows it has seen the file). Column names are snake_case
// because LanceDB's SQL filters fold unquoted identifiers to lower case.

import type { Chunk } from '../../common/chunk.js';

/** Column names, in table order. */
export const COLUMNS = {
  root: 'root',
  path: 'path',
  language: 'language',
  startLine: 'start_line',
  endLine: 'end_line',
  /** PDF page, 1-based; 0 when the source has no pages. */
  page: 'page',
  /** Hash of the whole file's content, as the indexer computed it. */
  contentHash: 'content_hash',
  mtimeMs: 'mtime_ms',
  /** Chunk position in its file; -1 on a file's marker row. */
  ordinal: 'ordinal',
  text: 'text',
  context: 'context',
  /** Full-text field: context + text with identifiers expanded (common/analysis.ts). */
  searchBody: 'search_body',
  /** Boosted full-text field: context, signatures, docstrings, comments. */
  searchSummary: 'search_summary',
  vector: 'vector',
} as const;

/** Ordinal of the marker row of a file without chunks; searches exclude it. */
export const MARKER_ORDINAL = -1;

/** The SQL condition that keeps real chunks only. */
export const CHUNKS_ONLY = `${COLUMNS.ordinal} >= 0`;

/** Keys of the table's schema metadata. */
export const METADATA = {
  embedderId: 'pinpoint.embedder.id',
  dimension: 'pinpoint.embedder.dimension',
  corpus: 'pinpoint.corpus',
  /** Version of the row layout and text analysis; a table of another version is rebuilt. */
  layout: 'pinpoint.layout',
} as const;

/** Bump when the columns or common/analysis.ts change what is stored. */
export const LAYOUT_VERSION = '1';

/** What identifies an embedder's vectors for a table. */
export interface EmbedderIdentity {
  readonly id: string;
  readonly dimension: number;
}

/** One file's new content: its chunks and their vectors, in the same order. */
export interface FileChunks {
  readonly root: string;
  readonly path: string;
  readonly contentHash: string;
  readonly mtimeMs: number;
  readonly chunks: readonly Chunk[];
  readonly vectors: readonly Float32Array[];
}

/** A file as the store knows it (for incremental indexing). */
export interface IndexedFile {
  readonly root: string;
  readonly path: string;
  readonly contentHash: string;
  readonly mtimeMs: number;
  /** Number of chunks stored for it (0 for a file recorded by its marker row). */
  readonly chunks: number;
}

/** A file's identity in the store. */
export interface FileKey {
  readonly root: string;
  readonly path: string;
}

/** A stored chunk read back, with its file's hash and time. */
export interface StoredChunk extends Chunk {
  readonly contentHash: string;
  readonly mtimeMs: number;
}

/** The text an embedder sees for a chunk: its context line(s), then its text. */
export function textToEmbed(chunk: Pick<Chunk, 'context' | 'text'>): string {
  return chunk.context ? `${chunk.context}\n${chunk.text}` : chunk.text;
}

/** A string literal for LanceDB SQL (single quotes doubled). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The SQL condition selecting the rows of the given files. */
export function filesCondition(files: readonly FileKey[]): string {
  const byRoot = new Map<string, string[]>();
  for (const f of files) byRoot.set(f.root, [...(byRoot.get(f.root) ?? []), f.path]);
  const parts = [...byRoot].map(
    ([root, paths]) => `(${COLUMNS.root} = ${sqlString(root)} AND ${COLUMNS.path} IN (${paths.map(sqlString).join(', ')}))`,
  );
  return parts.length === 0 ? 'false' : parts.join(' OR ');
}
