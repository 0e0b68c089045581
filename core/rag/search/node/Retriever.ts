// Search over a chunk table: BM25 through LanceDB's native full-text index (two analyzed
// fields, the summary boosted), dense kNN over the vector column, and hybrid by trust-weighted
// reciprocal rank fusion (common/fusion.ts); then filters, merging of adjacent chunks, and an
// optional reranker. Every result carries its score parts and its line or page range.

import { BooleanQuery, MatchQuery, Occur, type Table } from '@lancedb/lancedb';
import { ArgumentError, throwIfAborted } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import { analyzeQuery } from '../../store/common/analysis.js';
import { CHUNKS_ONLY, COLUMNS, sqlString } from '../../store/common/schema.js';
import { CHUNK_COLUMNS, rowToChunk, type ChunkStore } from '../../store/node/ChunkStore.js';
import type { StoredChunk } from '../../store/common/schema.js';
import { fuseLists, type FusionParams, type RankedCandidate } from '../common/fusion.js';
import { retrievalSettingsFor, type FullTextParams } from '../common/fusionSettings.js';
import { globToRegex } from '../common/glob.js';
import { mergeAdjacent } from '../common/mergeResults.js';
import { RERANK_CANDIDATES, type Reranker } from '../common/reranker.js';
import type { SearchFilter, SearchMode, SearchOptions, SearchResult } from '../common/types.js';

/** Options of a {@link Retriever}. */
export interface RetrieverOptions {
  /** Embeds queries for dense and hybrid search; its id must be the table's. */
  readonly embedder?: Embedder;
  /** Fusion settings; default: tuned for the embedder (fusionSettings.ts). */
  readonly fusion?: FusionParams;
  readonly fullText?: FullTextParams;
  readonly reranker?: Reranker;
}

/** A retriever's candidate: a stored chunk with its score. */
export interface ScoredChunk extends RankedCandidate {
  readonly chunk: StoredChunk;
}

/** Both retrievers' lists for one query (before fusion). */
export interface CandidateLists {
  readonly bm25: readonly ScoredChunk[];
  readonly dense: readonly ScoredChunk[];
}


/** The key of a chunk in fusion: root, path and ordinal. */
export function chunkKey(chunk: Pick<StoredChunk, 'root' | 'path' | 'ordinal'>): string {
  return `${chunk.root}\u0000${chunk.path}\u0000${chunk.ordinal}`;
}

/** The SQL condition of a filter (always excluding files' marker rows). */
export function filterCondition(filter: SearchFilter | undefined): string {
  const parts = [CHUNKS_ONLY];
  if (filter?.paths?.length) parts.push(`(${filter.paths.map((g) => `regexp_like(${COLUMNS.path}, ${sqlString(globToRegex(g))})`).join(' OR ')})`);
  if (filter?.languages?.length) parts.push(`${COLUMNS.language} IN (${filter.languages.map(sqlString).join(', ')})`);
  if (filter?.roots?.length) parts.push(`${COLUMNS.root} IN (${filter.roots.map(sqlString).join(', ')})`);
  return parts.join(' AND ');
}

type Row = Record<string, unknown>;

/** Rows of a LanceDB search as scored chunks. */
function scored(rows: readonly Row[], score: (row: Row) => number): ScoredChunk[] {
  return rows.map((row) => {
    const chunk = rowToChunk(row);
    return { key: chunkKey(chunk), score: score(row), chunk };
  });
}

/** Searches one chunk table. */
export class Retriever {
  private readonly table: Table;

  constructor(
    store: Pick<ChunkStore, 'table' | 'embedder'>,
    private readonly options: RetrieverOptions = {},
  ) {
    this.table = store.table;
    if (options.embedder && options.embedder.id !== store.embedder.id) {
      throw new ArgumentError(`Embedder ${options.embedder.id} cannot search a table of ${store.embedder.id}: switch the corpus's embedder first`);
    }
  }

  private get fusion(): FusionParams {
    return this.options.fusion ?? retrievalSettingsFor(this.options.embedder?.id).fusion;
  }

  private get fullText(): FullTextParams {
    return this.options.fullText ?? retrievalSettingsFor(this.options.embedder?.id).fullText;
  }

  /** BM25 candidates of `query`, best first. */
  async bm25(query: string, limit: number, filter?: SearchFilter): Promise<ScoredChunk[]> {
    const text = analyzeQuery(query);
    if (text.trim() === '') return [];
    const boost = this.fullText.summaryBoost;
    // A boolean of two SHOULD clauses sums the fields' BM25 scores; LanceDB's MultiMatchQuery
    // takes the best field only, which made the summary either invisible or dominant.
    const body = new MatchQuery(text, COLUMNS.searchBody);
    const match =
      boost > 0
        ? new BooleanQuery([
            [Occur.Should, body],
            [Occur.Should, new MatchQuery(text, COLUMNS.searchSummary, { boost })],
          ])
        : body;
    const rows = (await this.table
      .query()
      .fullTextSearch(match)
      .where(filterCondition(filter))
      .select([...CHUNK_COLUMNS, '_score'])
      .limit(limit)
      .toArray()) as Row[];
    return scored(rows, (row) => Number(row._score));
  }

  /** Dense candidates of `query` (cosine similarity), best first. */
  async dense(query: string, limit: number, filter?: SearchFilter, signal?: AbortSignal): Promise<ScoredChunk[]> {
    const embedder = this.options.embedder;
    if (!embedder) throw new ArgumentError('Dense and hybrid search need an embedder; use --mode bm25 or give one');
    const vector = await embedder.embedQuery(query, signal);
    const rows = (await this.table
      .vectorSearch(vector)
      .column(COLUMNS.vector)
      .distanceType('cosine')
      .where(filterCondition(filter))
      .select([...CHUNK_COLUMNS, '_distance'])
      .limit(limit)
      .toArray()) as Row[];
    return scored(rows, (row) => 1 - Number(row._distance));
  }

  /** The candidate lists a mode needs (the other list is empty). */
  async candidates(query: string, mode: SearchMode, limit: number, filter?: SearchFilter, signal?: AbortSignal): Promise<CandidateLists> {
    const [bm25, dense] = await Promise.all([
      mode === 'dense' ? [] : this.bm25(query, limit, filter),
      mode === 'bm25' ? [] : this.dense(query, limit, filter, signal),
    ]);
    return { bm25, dense };
  }

  /** Fused (or single-mode) results from candidate lists, before merging and reranking. */
  rank(lists: CandidateLists, mode: SearchMode, fusion = this.fusion): SearchResult[] {
    const chunks = new Map<string, StoredChunk>();
    for (const c of [...lists.dense, ...lists.bm25]) chunks.set(c.key, c.chunk);
    const params = mode === 'hybrid' ? fusion : mode === 'bm25' ? { ...fusion, denseWeight: 0 } : { ...fusion, bm25Weight: 0 };
    const { candidates, denseWeight } = fuseLists(mode === 'dense' ? [] : lists.bm25, mode === 'bm25' ? [] : lists.dense, params);
    return candidates.map((c) => {
      const chunk = chunks.get(c.key)!;
      const fused = mode === 'hybrid' ? c.fused : mode === 'bm25' ? c.bm25Score! : c.denseScore!;
      return {
        root: chunk.root,
        path: chunk.path,
        language: chunk.language,
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        ...(chunk.page !== undefined ? { page: chunk.page } : {}),
        text: chunk.text,
        context: chunk.context,
        score: fused,
        scores: {
          fused,
          ...(c.bm25Score !== undefined ? { bm25: c.bm25Score, bm25Rank: c.bm25Rank } : {}),
          ...(c.denseScore !== undefined ? { dense: c.denseScore, denseRank: c.denseRank } : {}),
          ...(mode === 'hybrid' ? { denseWeight } : {}),
        },
        ordinals: [chunk.ordinal],
      };
    });
  }

  /** Reorders the first candidates by the reranker's scores (the rest keep their order after them). */
  private async rerank(query: string, results: SearchResult[], signal?: AbortSignal): Promise<SearchResult[]> {
    const reranker = this.options.reranker!;
    const head = results.slice(0, RERANK_CANDIDATES);
    const scores = await reranker.score(query, head.map((r) => (r.context ? `${r.context}\n${r.text}` : r.text)), signal);
    const reranked = head.map((r, i) => ({ ...r, score: scores[i], scores: { ...r.scores, rerank: scores[i] } })).sort((a, b) => b.score - a.score);
    return [...reranked, ...results.slice(RERANK_CANDIDATES)];
  }

  /** Searches: the `k` best results, merged and (if a reranker is set) reranked. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const k = options.k ?? 10;
    const mode = options.mode ?? (this.options.embedder ? 'hybrid' : 'bm25');
    if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`k should be a positive integer, not ${k}`);
    const lists = await this.candidates(query, mode, Math.max(options.candidates ?? 100, k), options.filter, options.signal);
    throwIfAborted(options.signal, 'search');
    let results = this.rank(lists, mode);
    if (options.mergeAdjacent ?? true) results = mergeAdjacent(results.slice(0, Math.max(3 * k, RERANK_CANDIDATES)));
    if (this.options.reranker && (options.rerank ?? true)) results = await this.rerank(query, results, options.signal);
    return results.slice(0, k);
  }
}
