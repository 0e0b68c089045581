// A retrieval test collection in memory, whatever its file layout (BEIR, CoSQA): documents,
// queries and relevance judgements, plus the deterministic split used to tune on one half of
// the training queries and report on the other.

import type { Qrels } from './metrics.js';

/** One document of the corpus. */
export interface CorpusDocument {
  readonly id: string;
  /** Title (BEIR `title`); indexed as the chunk's context. May be empty. */
  readonly title: string;
  readonly text: string;
}

/** One query. */
export interface DatasetQuery {
  readonly id: string;
  readonly text: string;
}

/** A test collection. */
export interface RetrievalDataset {
  /** Name used in reports and table names ("scifact"). */
  readonly name: string;
  /** Language the documents are indexed as: "text" for prose, a programming language for code. */
  readonly language: string;
  readonly corpus: readonly CorpusDocument[];
  readonly queries: ReadonlyMap<string, DatasetQuery>;
  readonly qrels: Qrels;
  /** Which judgements `qrels` holds (the qrels file, or a description). */
  readonly qrelsSource: string;
}

/** Which half of the judged queries: `tune` fits parameters, `report` measures them. */
export type QuerySplit = 'all' | 'tune' | 'report';

/**
 * The judged queries of one half. Queries are ordered by id (numerically when every id is a
 * number) and alternate: even positions tune, odd positions report. Deterministic and
 * independent of file order, so every tool reports on the same held-out queries.
 */
export function splitQrels(qrels: Qrels, split: QuerySplit): Qrels {
  if (split === 'all') return qrels;
  const ids = [...qrels.keys()];
  const numeric = ids.every((id) => /^\d+$/.test(id));
  ids.sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  const keep = new Set(ids.filter((_, i) => (i % 2 === 0) === (split === 'tune')));
  return new Map([...qrels].filter(([id]) => keep.has(id)));
}
