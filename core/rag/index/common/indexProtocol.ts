// Messages between a shell-side IndexerHost and the indexing worker thread, with checks on
// arrival: a worker trusts nothing it is sent, and the host trusts nothing it receives.

import { ArgumentError } from '../../../base/common/errors.js';
import type { IndexProgress } from './progress.js';

/** What to index: everything here must survive structured cloning. */
export interface IndexRequest {
  /** Absolute root folders. */
  readonly roots: readonly string[];
  readonly dbDir: string;
  readonly corpus: string;
  /** Embedder spec (see core/rag/embed/README.md), e.g. "static:glove100d". */
  readonly embedder: string;
  /** Walker options (ignore files, excludes, size limits); plain values only. */
  readonly walk?: Readonly<Record<string, unknown>>;
  /** Chunk budget in tokens. */
  readonly chunkBudget?: number;
}

export type ToIndexWorker =
  | { readonly type: 'start'; readonly request: IndexRequest }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'cancel' };

/** The report, as the worker sends it (see indexRoots.ts IndexReport). */
export type IndexReportMessage = Record<string, unknown> & { readonly cancelled: boolean };

export type FromIndexWorker =
  | { readonly type: 'progress'; readonly progress: IndexProgress }
  | { readonly type: 'done'; readonly report: IndexReportMessage }
  | { readonly type: 'error'; readonly name: string; readonly message: string; readonly reason?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Checks an IndexRequest field by field. */
export function checkIndexRequest(value: unknown): IndexRequest {
  if (!isObject(value)) throw new ArgumentError('index request: not an object');
  const { roots, dbDir, corpus, embedder, walk, chunkBudget } = value;
  if (!Array.isArray(roots) || roots.length === 0 || !roots.every(isString)) throw new ArgumentError('index request: "roots" should be a non-empty list of paths');
  if (!isString(dbDir)) throw new ArgumentError('index request: "dbDir" should be a path');
  if (!isString(corpus)) throw new ArgumentError('index request: "corpus" should be a name');
  if (!isString(embedder)) throw new ArgumentError('index request: "embedder" should be an embedder spec');
  if (walk !== undefined && !isObject(walk)) throw new ArgumentError('index request: "walk" should be an object');
  if (chunkBudget !== undefined && !(Number.isInteger(chunkBudget) && (chunkBudget as number) >= 16)) {
    throw new ArgumentError('index request: "chunkBudget" should be an integer >= 16');
  }
  return { roots: roots as string[], dbDir, corpus, embedder, walk: walk as Record<string, unknown> | undefined, chunkBudget: chunkBudget as number | undefined };
}

/** Checks a message sent to the worker. */
export function parseToIndexWorker(value: unknown): ToIndexWorker {
  if (!isObject(value)) throw new ArgumentError('indexer message: not an object');
  switch (value.type) {
    case 'start': return { type: 'start', request: checkIndexRequest(value.request) };
    case 'pause': case 'resume': case 'cancel': return { type: value.type };
    default: throw new ArgumentError(`indexer message: unknown type ${JSON.stringify(value.type)}`);
  }
}

/** Checks a message from the worker. */
export function parseFromIndexWorker(value: unknown): FromIndexWorker {
  if (!isObject(value)) throw new ArgumentError('indexer reply: not an object');
  if (value.type === 'progress' && isObject(value.progress)) return value as FromIndexWorker;
  if (value.type === 'done' && isObject(value.report) && typeof value.report.cancelled === 'boolean') return value as FromIndexWorker;
  if (value.type === 'error' && typeof value.message === 'string' && typeof value.name === 'string') return value as FromIndexWorker;
  throw new ArgumentError(`indexer reply: malformed ${JSON.stringify(value).slice(0, 200)}`);
}
