// Handlers of `search/query` and `files/read`. A search's filters are checked against the corpus's
// roots before it runs (a glob with ".." or an absolute path, a folder that is not a root:
// forbidden), it is reranked by the host's reranker when one is configured, and each result is
// checked again before it leaves (its file, after realpath, must still be inside its root).
// files/read reads lines of one file inside a root, nothing else.

import { open } from 'node:fs/promises';
import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import type { SearchResult } from '../../../rag/search/common/types.js';
import { Retriever } from '../../../rag/search/node/Retriever.js';
import { openCurrentStore } from '../../../rag/store/node/corpus.js';
import { ServiceError } from '../../common/errors.js';
import type { FilesReadRequest, FilesReadResult, SearchHit, SearchQueryRequest, SearchQueryResult } from '../../common/messages/search.js';
import { checkFilterRoots, checkRelativeGlob, isResultInsideRoots, resolveInsideRoots, type GuardedRoot } from '../rootGuard.js';
import type { OnRequest, ServiceContext } from './context.js';

/** Most bytes files/read returns (a longer file needs a line range). */
const MAX_READ_BYTES = 1024 * 1024;
/** Most bytes files/read looks at to find a line range. */
const MAX_SCAN_BYTES = 64 * 1024 * 1024;

/** Drops results whose file is not inside an indexed root (any more). */
export async function keepInsideRoots<T extends { readonly root: string; readonly path: string }>(results: readonly T[], roots: readonly GuardedRoot[]): Promise<T[]> {
  const inside = await Promise.all(results.map((r) => isResultInsideRoots(r.root, r.path, roots)));
  return results.filter((_, i) => inside[i]);
}

function hitOf(r: SearchResult): SearchHit {
  const scores: Record<string, number> = {};
  for (const [key, value] of Object.entries(r.scores)) if (typeof value === 'number') scores[key] = value;
  return {
    root: r.root, path: r.path, language: r.language, startLine: r.startLine, endLine: r.endLine,
    ...(r.page ? { page: r.page } : {}), score: r.score, scores, text: r.text, context: r.context,
  };
}

async function searchQuery(context: ServiceContext, request: SearchQueryRequest, signal: AbortSignal): Promise<SearchQueryResult> {
  const corpus = await context.corpus(request.corpus);
  for (const glob of request.filters?.paths ?? []) checkRelativeGlob(glob);
  const roots = request.filters?.roots?.length ? await checkFilterRoots(request.filters.roots, corpus.roots) : undefined;
  const store = await openCurrentStore(context.config.dbDir, corpus.name);
  try {
    const mode = request.mode ?? 'hybrid';
    const embedder = mode === 'bm25' ? undefined : await context.embedders.get(corpus.record.embedder);
    if (embedder && embedder.id !== store.embedder.id) {
      throw new ExpectedError(ErrorReason.BadArgument, `The index of corpus "${corpus.name}" was built with ${store.embedder.id}, but ${corpus.record.embedder} now gives ${embedder.id}: index it again.`);
    }
    const retriever = new Retriever(store, { embedder, reranker: await context.reranker() });
    const filter = { paths: request.filters?.paths, languages: request.filters?.languages, roots };
    const results = await retriever.search(request.query, { k: request.k ?? 10, mode, filter, signal });
    return { results: (await keepInsideRoots(results, corpus.roots)).map(hitOf) };
  } finally {
    await store.close();
  }
}

/** Reads `path` as text up to `limit` bytes; refuses a folder and binary content. */
async function readText(real: string, shown: string, limit: number): Promise<{ text: string; complete: boolean }> {
  const file = await open(real, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ServiceError(error.code === 'EACCES' ? 'forbidden' : 'not-found', `Cannot read ${JSON.stringify(shown)}: ${error.code ?? error.message}.`);
  });
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new ServiceError('bad-request', `${JSON.stringify(shown)} is not a file.`);
    const buffer = Buffer.alloc(Math.min(info.size, limit));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.subarray(0, 8192).includes(0)) throw new ServiceError('bad-request', `${JSON.stringify(shown)} is binary: files/read returns text only.`);
    return { text: bytes.toString('utf8'), complete: info.size <= limit };
  } finally {
    await file.close();
  }
}

async function filesRead(context: ServiceContext, request: FilesReadRequest): Promise<FilesReadResult> {
  const corpus = await context.corpus(request.corpus);
  let base: GuardedRoot | undefined;
  if (request.root !== undefined) {
    const [root] = await checkFilterRoots([request.root], corpus.roots);
    base = corpus.roots.find((r) => r.root === root);
  } else if (corpus.roots.length === 1) base = corpus.roots[0];
  const place = await resolveInsideRoots(request.path, corpus.roots, base);
  const ranged = request.startLine !== undefined || request.endLine !== undefined;
  const { text, complete } = await readText(place.real, request.path, ranged ? MAX_SCAN_BYTES : MAX_READ_BYTES);
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  if (!complete && !ranged) throw new ServiceError('limit', `${JSON.stringify(request.path)} is over ${MAX_READ_BYTES} bytes: ask for a line range (startLine, endLine).`);
  const startLine = request.startLine ?? 1;
  const endLine = Math.min(request.endLine ?? lines.length, lines.length);
  if (startLine > lines.length) throw new ServiceError('bad-request', `files/read: "startLine" is ${startLine}, but ${JSON.stringify(request.path)} has ${lines.length} lines.`);
  const slice = lines.slice(startLine - 1, endLine).join('\n');
  if (Buffer.byteLength(slice) > MAX_READ_BYTES) throw new ServiceError('limit', `Lines ${startLine}-${endLine} of ${JSON.stringify(request.path)} are over ${MAX_READ_BYTES} bytes: ask for fewer.`);
  return { root: place.root, path: place.path, startLine, endLine, totalLines: lines.length, text: slice };
}

/** Registers search/query and files/read. */
export function registerSearchHandlers(on: OnRequest, context: ServiceContext): void {
  on('search/query', (request, { signal }) => searchQuery(context, request, signal));
  on('files/read', (request) => filesRead(context, request));
}
