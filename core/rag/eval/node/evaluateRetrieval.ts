// Evaluation of retrieval on a test collection: index it (indexDataset.ts), run every judged
// query through the Retriever in the chosen mode, and report nDCG@10, Recall@100 and MRR@10.
// This is what `pinpoint eval retrieval` prints.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, throwIfAborted } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import type { FusionParams } from '../../search/common/fusion.js';
import type { FullTextParams } from '../../search/common/fusionSettings.js';
import type { SearchMode } from '../../search/common/types.js';
import { Retriever, type CandidateLists } from '../../search/node/Retriever.js';
import { splitQrels, type QuerySplit, type RetrievalDataset } from '../common/dataset.js';
import { meanMetrics, type Qrels, type RetrievalMetrics } from '../common/metrics.js';
import { indexDataset } from './indexDataset.js';
import { loadDataset } from './loadDataset.js';

/** Options of {@link evaluateRetrieval}. */
export interface EvaluateRetrievalOptions {
  /** Collection folder: BEIR layout, or CoSQA's files. */
  readonly beir: string;
  /** Qrels file (BEIR) or queries file (CoSQA); default as loadDataset chooses. */
  readonly qrels?: string;
  /** Default "hybrid" with an embedder, else "bm25". */
  readonly mode?: SearchMode;
  /** Needed for "dense" and "hybrid". */
  readonly embedder?: Embedder;
  /** Which judged queries: all (default), or the tune / report half (dataset.ts). */
  readonly split?: QuerySplit;
  /** Overrides of the tuned settings (tuning runs). */
  readonly fusion?: FusionParams;
  readonly fullText?: FullTextParams;
  /** Folder to keep the index in between runs; default a temporary folder removed afterwards. */
  readonly dbDir?: string;
  readonly signal?: AbortSignal;
  /** Progress lines (indexing, querying). */
  readonly onProgress?: (message: string) => void;
}

/** The figures of one evaluation. */
export interface RetrievalReport extends RetrievalMetrics {
  /** Queries evaluated (judged queries of the split). */
  readonly queries: number;
  readonly dataset: string;
  readonly mode: SearchMode;
  readonly split: QuerySplit;
  readonly qrelsSource: string;
  readonly embedderId?: string;
}

/** Candidate lists of every judged query of `qrels` (100 per side). */
export async function collectCandidates(
  retriever: Retriever,
  dataset: RetrievalDataset,
  qrels: Qrels,
  mode: SearchMode,
  signal?: AbortSignal,
): Promise<Map<string, CandidateLists>> {
  const lists = new Map<string, CandidateLists>();
  for (const queryId of qrels.keys()) {
    throwIfAborted(signal, 'evaluation');
    lists.set(queryId, await retriever.candidates(dataset.queries.get(queryId)!.text, mode, 100));
  }
  return lists;
}

/** Metrics of ranked candidate lists (document id = chunk path). */
export function scoreCandidates(retriever: Retriever, lists: ReadonlyMap<string, CandidateLists>, qrels: Qrels, mode: SearchMode, fusion?: FusionParams): RetrievalMetrics & { queries: number } {
  const runs = new Map<string, string[]>();
  for (const [queryId, candidates] of lists) runs.set(queryId, retriever.rank(candidates, mode, fusion).map((r) => r.path));
  return meanMetrics(runs, qrels);
}

/**
 * Evaluates retrieval on a collection.
 * @throws ArgumentError for a bad folder or file, or dense/hybrid without an embedder.
 */
export async function evaluateRetrieval(options: EvaluateRetrievalOptions): Promise<RetrievalReport> {
  const mode = options.mode ?? (options.embedder ? 'hybrid' : 'bm25');
  if (mode !== 'bm25' && !options.embedder) throw new ArgumentError(`--mode ${mode} needs an embedder (--embedder ID)`);
  const split = options.split ?? 'all';
  const dataset = loadDataset(options.beir, options.qrels);
  const qrels = splitQrels(dataset.qrels, split);
  const dir = options.dbDir ?? (await mkdtemp(join(tmpdir(), 'pinpoint-eval-')));
  try {
    options.onProgress?.(`indexing ${dataset.corpus.length} documents of ${dataset.name}`);
    const embedder = mode === 'bm25' ? undefined : options.embedder;
    const store = await indexDataset(dataset, { dir, embedder, signal: options.signal, onProgress: (d, t) => options.onProgress?.(`indexed ${d}/${t}`) });
    try {
      const retriever = new Retriever(store, { embedder, fusion: options.fusion, fullText: options.fullText });
      options.onProgress?.(`running ${qrels.size} queries (${mode})`);
      const lists = await collectCandidates(retriever, dataset, qrels, mode, options.signal);
      const metrics = scoreCandidates(retriever, lists, qrels, mode, options.fusion);
      return { ...metrics, dataset: dataset.name, mode, split, qrelsSource: dataset.qrelsSource, ...(embedder ? { embedderId: embedder.id } : {}) };
    } finally {
      await store.close();
    }
  } finally {
    if (!options.dbDir) await rm(dir, { recursive: true, force: true });
  }
}
