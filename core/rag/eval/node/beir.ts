// Reads a test collection in BEIR's layout: corpus.jsonl (or corpus.jsonl.gz) with `_id`, `title`,
// `text`; queries.jsonl with `_id`, `text`; qrels/<split>.tsv with a header line and rows
// `query-id <TAB> corpus-id <TAB> score`.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ArgumentError } from '../../../base/common/errors.js';
import type { CorpusDocument, DatasetQuery, RetrievalDataset } from '../common/dataset.js';
import type { Qrels } from '../common/metrics.js';

/** Qrels files tried, in order, when none is named: the test split first, training last. */
export const QRELS_PREFERENCE = ['test.tsv', 'dev.tsv', 'train.tsv'] as const;

/** Options of {@link loadBeir}. */
export interface BeirOptions {
  /** Qrels file to use; default: the first of {@link QRELS_PREFERENCE} in `<dir>/qrels`. */
  readonly qrels?: string;
  /** Language to index the documents as; default "text". */
  readonly language?: string;
}

function readText(file: string): string {
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** Parses JSON lines, naming the file and line of a bad one. */
function readJsonLines(file: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  readText(file)
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        rows.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        throw new ArgumentError(`${file}:${i + 1}: not a JSON object`);
      }
    });
  return rows;
}

function field(row: Record<string, unknown>, name: string, file: string, required: boolean): string {
  const value = row[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!required && value === undefined) return '';
  throw new ArgumentError(`${file}: a row has no string "${name}" (row: ${JSON.stringify(row).slice(0, 80)})`);
}

/** Reads a qrels TSV (header line, then query-id, corpus-id, score). */
export function readQrels(file: string): Qrels {
  const qrels = new Map<string, Map<string, number>>();
  const lines = readText(file).split('\n');
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [queryId, docId, score] = line.split('\t');
    const grade = Number(score);
    if (docId === undefined || !Number.isFinite(grade)) {
      throw new ArgumentError(`${file}:${i + 2}: expected "query-id<TAB>corpus-id<TAB>score", got ${JSON.stringify(line)}`);
    }
    if (!qrels.has(queryId)) qrels.set(queryId, new Map());
    qrels.get(queryId)!.set(docId, grade);
  });
  return qrels;
}

/** The qrels file to use in `dir` when none is named. */
function defaultQrels(dir: string): string {
  const folder = join(dir, 'qrels');
  const present = existsSync(folder) ? readdirSync(folder) : [];
  const name = QRELS_PREFERENCE.find((n) => present.includes(n)) ?? present.find((n) => n.endsWith('.tsv'));
  if (!name) throw new ArgumentError(`${folder}: no qrels file. Should hold one of: ${QRELS_PREFERENCE.join(', ')}.`);
  return join(folder, name);
}

/**
 * Loads a BEIR-layout collection from `dir`.
 * @throws ArgumentError when a file is missing or malformed (the message names it).
 */
export function loadBeir(dir: string, options: BeirOptions = {}): RetrievalDataset {
  const corpusFile = ['corpus.jsonl', 'corpus.jsonl.gz'].map((n) => join(dir, n)).find((f) => existsSync(f));
  if (!corpusFile) throw new ArgumentError(`${dir}: no corpus.jsonl or corpus.jsonl.gz (is it a BEIR folder?)`);
  const queriesFile = join(dir, 'queries.jsonl');
  if (!existsSync(queriesFile)) throw new ArgumentError(`${dir}: no queries.jsonl`);
  const qrelsFile = options.qrels ?? defaultQrels(dir);
  if (!existsSync(qrelsFile)) throw new ArgumentError(`${qrelsFile}: no such qrels file`);
  const corpus: CorpusDocument[] = readJsonLines(corpusFile).map((row) => ({
    id: field(row, '_id', corpusFile, true),
    title: field(row, 'title', corpusFile, false),
    text: field(row, 'text', corpusFile, true),
  }));
  const queries = new Map<string, DatasetQuery>();
  for (const row of readJsonLines(queriesFile)) {
    const id = field(row, '_id', queriesFile, true);
    queries.set(id, { id, text: field(row, 'text', queriesFile, true) });
  }
  const qrels = readQrels(qrelsFile);
  for (const queryId of qrels.keys()) {
    if (!queries.has(queryId)) throw new ArgumentError(`${qrelsFile}: query "${queryId}" is not in ${queriesFile}`);
  }
  return { name: basename(dir), language: options.language ?? 'text', corpus, queries, qrels, qrelsSource: qrelsFile };
}
