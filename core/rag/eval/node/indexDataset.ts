// Puts a test collection into a chunk store: each document becomes one file of one chunk (path =
// document id, context = title), embedded with the given embedder, or with a null embedder of
// dimension 1 for BM25-only runs. Incremental: documents whose content hash is already stored
// are not embedded again, so a cached table is reused across runs.

import { createHash } from 'node:crypto';
import type { Chunk } from '../../common/chunk.js';
import type { Embedder } from '../../common/embedder.js';
import { throwIfAborted } from '../../../base/common/errors.js';
import { textToEmbed, type EmbedderIdentity, type FileChunks } from '../../store/common/schema.js';
import { ChunkStore } from '../../store/node/ChunkStore.js';
import type { CorpusDocument, RetrievalDataset } from '../common/dataset.js';

/** The identity of the table of a BM25-only run (vectors of one zero). */
export const NO_EMBEDDER: EmbedderIdentity = { id: 'none', dimension: 1 };

/** Documents embedded per call. */
const BATCH = 256;

/** The chunk of one document. */
export function documentChunk(dataset: RetrievalDataset, doc: CorpusDocument): Chunk {
  const lines = doc.text.split('\n').length;
  return { root: dataset.name, path: doc.id, language: dataset.language, startLine: 1, endLine: lines, text: doc.text, context: doc.title, ordinal: 0 };
}

function hashOf(doc: CorpusDocument): string {
  return createHash('sha256').update(doc.title).update('\u0000').update(doc.text).digest('hex').slice(0, 16);
}

/** Options of {@link indexDataset}. */
export interface IndexDatasetOptions {
  readonly dir: string;
  readonly embedder?: Embedder;
  readonly signal?: AbortSignal;
  /** Called after each batch with documents done and total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Indexes the collection into `dir` and returns the open store (indexes built). */
export async function indexDataset(dataset: RetrievalDataset, options: IndexDatasetOptions): Promise<ChunkStore> {
  const identity = options.embedder ?? NO_EMBEDDER;
  const store = await ChunkStore.open({ dir: options.dir, corpus: dataset.name, embedder: { id: identity.id, dimension: identity.dimension }, autoMaintain: false });
  const stored = new Map((await store.listFiles(dataset.name)).map((f) => [f.path, f.contentHash]));
  const todo = dataset.corpus.filter((doc) => stored.get(doc.id) !== hashOf(doc));
  const present = new Set(dataset.corpus.map((d) => d.id));
  const gone = [...stored.keys()].filter((path) => !present.has(path));
  if (gone.length > 0) await store.deleteFiles(gone.map((path) => ({ root: dataset.name, path })));
  for (let i = 0; i < todo.length; i += BATCH) {
    throwIfAborted(options.signal, 'indexing');
    const docs = todo.slice(i, i + BATCH);
    const chunks = docs.map((doc) => documentChunk(dataset, doc));
    const vectors = options.embedder
      ? await options.embedder.embedDocuments(chunks.map(textToEmbed), options.signal)
      : chunks.map(() => new Float32Array(1));
    const files: FileChunks[] = docs.map((doc, j) => ({ root: dataset.name, path: doc.id, contentHash: hashOf(doc), mtimeMs: 0, chunks: [chunks[j]], vectors: [vectors[j]] }));
    await store.replaceFiles(files);
    options.onProgress?.(Math.min(i + BATCH, todo.length), todo.length);
  }
  await store.maintain();
  return store;
}
