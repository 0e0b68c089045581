// The indexes of a chunk table: LanceDB's native full-text (BM25) index on the two analyzed text
// columns, and an ANN vector index once the table is large enough. Both are kept current by
// LanceDB's optimize (which indexes new rows into a delta segment); a full rebuild happens only
// when an index is missing or was built with other analyzer settings.

import { Index, type Table } from '@lancedb/lancedb';
import { COLUMNS } from '../common/schema.js';
import { FULL_TEXT_OPTIONS, KEEP_VERSIONS_MS, VECTOR_INDEX_MIN_ROWS, type FullTextOptions } from '../common/indexPolicy.js';

/** The full-text indexed columns and their index names. */
export const FULL_TEXT_COLUMNS = [COLUMNS.searchBody, COLUMNS.searchSummary] as const;
const indexName = (column: string) => `${column}_idx`;

/** Options of LanceDB's FTS index, in the snake_case form its index details report. */
function wantedDetails(options: FullTextOptions): Record<string, unknown> {
  return {
    base_tokenizer: options.baseTokenizer,
    language: options.language,
    lower_case: options.lowercase,
    stem: options.stem,
    remove_stop_words: options.removeStopWords,
    ascii_folding: options.asciiFolding,
    with_position: options.withPosition,
    max_token_length: options.maxTokenLength,
  };
}

/** What maintenance did, with timings in milliseconds. */
export interface MaintenanceReport {
  readonly fullTextBuilt: readonly string[];
  readonly vectorIndexBuilt: boolean;
  readonly optimized: boolean;
  readonly ms: { readonly fullText: number; readonly vector: number; readonly optimize: number };
}

/** Options of {@link maintainIndexes}. */
export interface MaintainOptions {
  /** Full-text analyzer settings; default {@link FULL_TEXT_OPTIONS}. */
  readonly fullText?: FullTextOptions;
  /** Rows from which to build the ANN index; default {@link VECTOR_INDEX_MIN_ROWS}. */
  readonly vectorIndexMinRows?: number;
  /** Compact, update indexes with new rows and remove old versions; default true. */
  readonly optimize?: boolean;
}

/** True when an FTS index exists on `column` with the wanted analyzer settings. */
function fullTextCurrent(indexes: Awaited<ReturnType<Table['listIndices']>>, column: string, wanted: Record<string, unknown>): boolean {
  const found = indexes.find((i) => i.indexType === 'FTS' && i.columns.includes(column));
  const details = (found as { indexDetails?: Record<string, unknown> } | undefined)?.indexDetails;
  if (!found || !details) return Boolean(found) && details === undefined;
  return Object.entries(wanted).every(([key, value]) => details[key] === undefined || details[key] === value);
}

/**
 * Builds the missing indexes and brings the others up to date: FTS on both analyzed columns
 * (rebuilt if its settings differ), the ANN index past the size threshold, then LanceDB's
 * optimize (compaction + incremental index update + cleanup of versions older than
 * {@link KEEP_VERSIONS_MS}).
 */
export async function maintainIndexes(table: Table, options: MaintainOptions = {}): Promise<MaintenanceReport> {
  const fullText = options.fullText ?? FULL_TEXT_OPTIONS;
  const wanted = wantedDetails(fullText);
  const indexes = await table.listIndices();
  const built: string[] = [];
  let start = performance.now();
  for (const column of FULL_TEXT_COLUMNS) {
    if (fullTextCurrent(indexes, column, wanted)) continue;
    await table.createIndex(column, { config: Index.fts({ ...fullText }), replace: true, name: indexName(column) });
    built.push(column);
  }
  const fullTextMs = performance.now() - start;
  start = performance.now();
  const rows = await table.countRows();
  const hasVector = indexes.some((i) => i.columns.includes(COLUMNS.vector));
  const buildVector = !hasVector && rows >= (options.vectorIndexMinRows ?? VECTOR_INDEX_MIN_ROWS);
  if (buildVector) {
    const config = Index.hnswSq({ distanceType: 'cosine', numPartitions: Math.max(1, Math.round(rows / 100_000)) });
    await table.createIndex(COLUMNS.vector, { config, replace: true, name: indexName(COLUMNS.vector) });
  }
  const vectorMs = performance.now() - start;
  start = performance.now();
  const optimize = options.optimize ?? true;
  if (optimize) await table.optimize({ cleanupOlderThan: new Date(Date.now() - KEEP_VERSIONS_MS) });
  return { fullTextBuilt: built, vectorIndexBuilt: buildVector, optimized: optimize, ms: { fullText: fullTextMs, vector: vectorMs, optimize: performance.now() - start } };
}
