// Measures static embedders on SciFact's training queries (dense retrieval only, exact kNN):
// nDCG@10 and Recall@100 for GloVe plain mean vs SIF weighting (several a) and model2vec test
// models. The numbers behind the GloVe default in core/rag/embed/README.md.
// Usage: node --import tsx test/core/rag/embed/tools/measureStaticRetrieval.ts [a ...]

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Embedder } from '../../../../../core/rag/common/embedder.js';
import { loadGloveEmbedder, loadModel2VecEmbedder } from '../../../../../core/rag/embed/node/loadStaticEmbedder.js';

const DATA = new URL('../../../../../../shared/data/', import.meta.url);
const scifact = new URL('retrieval/scifact/', DATA);
const corpus = gunzipSync(readFileSync(new URL('corpus.jsonl.gz', scifact))).toString('utf8').split('\n').filter(Boolean)
  .map((line) => JSON.parse(line) as { _id: string; title: string; text: string });
const queries = new Map(readFileSync(new URL('queries.jsonl', scifact), 'utf8').split('\n').filter(Boolean)
  .map((line) => JSON.parse(line) as { _id: string; text: string }).map((q) => [q._id, q.text]));
const qrels = new Map<string, Set<string>>();
for (const line of readFileSync(new URL('qrels/train.tsv', scifact), 'utf8').split('\n').slice(1).filter(Boolean)) {
  const [query, doc] = line.split('\t');
  if (!qrels.has(query)) qrels.set(query, new Set());
  qrels.get(query)!.add(doc);
}

async function measure(name: string, embedder: Embedder): Promise<void> {
  const start = performance.now();
  const docs = await embedder.embedDocuments(corpus.map((d) => `${d.title}\n${d.text}`));
  const seconds = (performance.now() - start) / 1000;
  let ndcg = 0;
  let recall = 0;
  for (const [queryId, relevant] of qrels) {
    const q = await embedder.embedQuery(queries.get(queryId)!);
    const scores = docs.map((d, i) => { let s = 0; for (let j = 0; j < d.length; j++) s += d[j] * q[j]; return [s, i] as const; });
    scores.sort((a, b) => b[0] - a[0]);
    let dcg = 0;
    scores.slice(0, 10).forEach(([, i], rank) => { if (relevant.has(corpus[i]._id)) dcg += 1 / Math.log2(rank + 2); });
    let ideal = 0;
    for (let r = 0; r < Math.min(10, relevant.size); r++) ideal += 1 / Math.log2(r + 2);
    ndcg += dcg / ideal;
    recall += scores.slice(0, 100).filter(([, i]) => relevant.has(corpus[i]._id)).length / relevant.size;
  }
  const n = qrels.size;
  console.log(`${name.padEnd(34)} nDCG@10 ${(ndcg / n).toFixed(4)}  Recall@100 ${(recall / n).toFixed(4)}  (${n} queries; ${(corpus.length / seconds).toFixed(0)} docs/s)`);
}

const glove = new URL('embed/glove100d-top20k/', DATA).pathname;
/** SIF values of `a` to try: the command line's, else a sweep. */
const only = process.argv.slice(2).map(Number);
if (!only.length) await measure('glove mean', await loadGloveEmbedder(glove, { weighting: 'mean' }));
for (const a of only.length ? only : [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6]) {
  await measure(`glove sif a=${a}`, await loadGloveEmbedder(glove, { weighting: 'sif', sifA: a }));
}
if (!only.length) await measure('model2vec test-model-vocab-quantized', await loadModel2VecEmbedder(new URL('embed/model2vec-rs-fixtures/test-model-vocab-quantized/', DATA).pathname));
