// Measures indexing of one real tree with one embedder in a process of its own (so peak RSS is
// its own): a cold run into an empty database, then the re-index after one file is edited (the
// warm, incremental path a watcher takes; median of three edits). Prints one JSON object.
// Run: node --import tsx test/bench/ours/measureIndex.ts ROOT DB EMBEDDER_SPEC

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbedder } from '../../../core/rag/embed/node/createEmbedder.js';
import { indexRoots } from '../../../core/rag/index/node/indexRoots.js';
import { ParserPool } from '../../../core/rag/ingest/node/ParserPool.js';
import { walkRoots } from '../../../core/rag/ingest/node/walkRoots.js';
import { peakRssBytes } from './measurePinpoint.js';

const [root, db, spec] = process.argv.slice(2);
const embedder = await createEmbedder(spec);
// One parser pool for both runs, as a watcher keeps it (IndexerHost's worker does the same).
const pool = new ParserPool();
const t0 = performance.now();
const cold = await indexRoots({ roots: [root], dbDir: db, corpus: 'bench', embedder, pool });
const coldSeconds = (performance.now() - t0) / 1000;

// Edit one indexed file (appending a line), re-index, then restore it.
let touched: string | undefined;
for await (const item of walkRoots([root])) {
  if (item.type === 'file' && item.kind === 'code' && item.size > 2000) {
    touched = item.absolutePath;
    break;
  }
}
const original = readFileSync(touched!);
const reindex: number[] = [];
let incremental;
for (let round = 0; round < 3; round++) {
  appendFileSync(touched!, `\n// touched by the benchmark (${round})\n`);
  const t1 = performance.now();
  incremental = await indexRoots({ roots: [root], dbDir: db, corpus: 'bench', embedder, pool });
  reindex.push((performance.now() - t1) / 1000);
}
const reindexSeconds = [...reindex].sort((a, b) => a - b)[1]; // median of three edits
writeFileSync(touched!, original);
await pool.dispose();
await embedder.dispose();
process.stdout.write(JSON.stringify({
  embedderId: embedder.id, files: cold.filesTotal, filesIndexed: cold.filesIndexed, skipped: cold.filesSkipped, chunks: cold.chunks,
  bytes: cold.bytes, coldSeconds, reindexSeconds, reindexRuns: reindex, reindexIndexed: incremental!.filesIndexed, touched: touched ? join('.', touched.slice(root.length)) : undefined,
  peakRssBytes: peakRssBytes(),
}) + '\n');
