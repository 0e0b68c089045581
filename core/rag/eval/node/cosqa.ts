// Adapter for CoSQA's code-search files (CoCLR's data/search layout): code_idx_map.txt is the
// corpus as a JSON object {code: index}, and cosqa-retrieval-<split>-<n>.json lists queries
// ({idx, doc, retrieval_idx}) each with its one relevant snippet. It gives the same
// RetrievalDataset as a BEIR folder, with the snippets indexed as Python.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ArgumentError } from '../../../base/common/errors.js';
import type { CorpusDocument, DatasetQuery, RetrievalDataset } from '../common/dataset.js';

/** The corpus file that marks a CoSQA folder. */
export const COSQA_CORPUS = 'code_idx_map.txt';

/** True when `dir` holds CoSQA's files rather than BEIR's. */
export function isCosqaFolder(dir: string): boolean {
  return existsSync(join(dir, COSQA_CORPUS));
}

interface CosqaQuery {
  readonly idx: string;
  readonly doc: string;
  readonly retrieval_idx: number;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ArgumentError(`${file}: not JSON (${(error as Error).message})`);
  }
}

/**
 * Loads a CoSQA folder. `queriesFile` defaults to the only cosqa-retrieval-*.json in `dir`.
 * @throws ArgumentError for missing or malformed files.
 */
export function loadCosqa(dir: string, queriesFile?: string): RetrievalDataset {
  const file = queriesFile ?? readdirSync(dir).filter((n) => /^cosqa-retrieval-.*\.json$/.test(n)).map((n) => join(dir, n))[0];
  if (!file) throw new ArgumentError(`${dir}: no cosqa-retrieval-*.json queries file`);
  const map = readJson(join(dir, COSQA_CORPUS));
  if (typeof map !== 'object' || map === null) throw new ArgumentError(`${join(dir, COSQA_CORPUS)}: expected a JSON object {code: index}`);
  const corpus: CorpusDocument[] = Object.entries(map as Record<string, number>).map(([code, idx]) => ({ id: String(idx), title: '', text: code }));
  const rows = readJson(file);
  if (!Array.isArray(rows)) throw new ArgumentError(`${file}: expected a JSON array of queries`);
  const queries = new Map<string, DatasetQuery>();
  const qrels = new Map<string, Map<string, number>>();
  for (const row of rows as CosqaQuery[]) {
    if (typeof row.idx !== 'string' || typeof row.doc !== 'string' || typeof row.retrieval_idx !== 'number') {
      throw new ArgumentError(`${file}: a query lacks idx, doc or retrieval_idx: ${JSON.stringify(row).slice(0, 80)}`);
    }
    queries.set(row.idx, { id: row.idx, text: row.doc });
    qrels.set(row.idx, new Map([[String(row.retrieval_idx), 1]]));
  }
  return { name: basename(dir), language: 'python', corpus, queries, qrels, qrelsSource: file };
}
