// Throughput of each embedder on 1,000 chunk-sized texts (SciFact abstracts with their titles,
// ~1,500 characters each): texts per second for embedDocuments, after one warm-up call.
// Usage: node --import tsx test/core/rag/embed/tools/measureThroughput.ts

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Embedder } from '../../../../../core/rag/common/embedder.js';
import { createEmbedder } from '../../../../../core/rag/embed/node/createEmbedder.js';
import { writeGloveOnnxModel } from '../../../../fixtures/embed/gloveOnnxModel.js';

const DATA = new URL('../../../../../../shared/data/', import.meta.url);
const corpus = gunzipSync(await readFile(new URL('retrieval/scifact/corpus.jsonl.gz', DATA))).toString('utf8').split('\n').filter(Boolean).slice(0, 1000)
  .map((line) => JSON.parse(line) as { title: string; text: string }).map((d) => `${d.title}\n${d.text}`);
const characters = corpus.reduce((sum, t) => sum + t.length, 0) / corpus.length;
console.log(`${corpus.length} texts, ${characters.toFixed(0)} characters on average`);

async function measure(name: string, embedder: Embedder): Promise<void> {
  await embedder.embedDocuments(corpus.slice(0, 20));
  const start = performance.now();
  await embedder.embedDocuments(corpus);
  const seconds = (performance.now() - start) / 1000;
  const tokens = corpus.reduce((sum, t) => sum + embedder.countTokens(t), 0) / corpus.length;
  console.log(`${name.padEnd(40)} ${(corpus.length / seconds).toFixed(0).padStart(6)} texts/s  (${tokens.toFixed(0)} tokens/text, dim ${embedder.dimension})`);
  await embedder.dispose();
}

const m2v = new URL('embed/model2vec-rs-fixtures/', DATA).pathname;
await measure('static:glove100d (SIF)', await createEmbedder('static:glove100d'));
await measure('static:model2vec WordPiece (float32)', await createEmbedder(`static:model2vec:${m2v}test-model-float32`));
await measure('static:model2vec Unigram (vocab-quantized)', await createEmbedder(`static:model2vec:${m2v}test-model-vocab-quantized`));
const dir = await mkdtemp(join(tmpdir(), 'pinpoint-throughput-'));
try {
  await writeGloveOnnxModel(join(dir, 'glove-mini'));
  for (const batchSize of [1, 16, 64]) await measure(`onnx:glove-mini batch ${batchSize}`, await createEmbedder(`onnx:${join(dir, 'glove-mini')}?batchSize=${batchSize}`));
} finally {
  await rm(dir, { recursive: true, force: true });
}
