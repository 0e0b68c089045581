// End-to-end evaluation on a tiny BEIR folder (BM25 and hybrid with a test embedder) and the
// `pinpoint eval retrieval` command's JSON contract.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { main } from '../../../../core/cli/main.js';
import { evaluateRetrieval } from '../../../../core/rag/eval/node/evaluateRetrieval.js';
import { hashEmbedder, tempDir } from '../store/storeFixtures.js';

const temp = tempDir('pinpoint-evaluate-');
after(temp.remove);

function writeTiny(): string {
  const dir = join(temp.dir, 'tiny');
  mkdirSync(join(dir, 'qrels'), { recursive: true });
  const docs = [
    ['d1', 'Vitamin D', 'Vitamin D deficiency is linked to bone loss in older adults.'],
    ['d2', 'Sleep', 'Short sleep duration raises the risk of obesity in children.'],
    ['d3', 'Coffee', 'Coffee consumption and heart rate variability.'],
    ['d4', 'Exercise', 'Exercise improves bone density and sleep quality.'],
  ];
  writeFileSync(join(dir, 'corpus.jsonl'), docs.map(([_id, title, text]) => JSON.stringify({ _id, title, text })).join('\n'));
  writeFileSync(join(dir, 'queries.jsonl'), ['vitamin deficiency bones', 'sleep obesity children', 'coffee heart'].map((text, i) => JSON.stringify({ _id: String(i + 1), text })).join('\n'));
  writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\n1\td1\t1\n2\td2\t1\n3\td3\t1\n3\td9\t1\n');
  return dir;
}
const tiny = writeTiny();

test('BM25 evaluation of a tiny collection: exact figures', async () => {
  const report = await evaluateRetrieval({ beir: tiny });
  assert.equal(report.mode, 'bm25');
  assert.equal(report.queries, 3);
  // Queries 1 and 2 find their document first; query 3 finds d3 first but d9 is not in the corpus.
  const q3 = 1 / (1 + 1 / Math.log2(3));
  assert.ok(Math.abs(report['ndcg@10'] - (2 + q3) / 3) < 1e-12, String(report['ndcg@10']));
  assert.equal(report['recall@100'], (1 + 1 + 0.5) / 3);
  assert.equal(report['mrr@10'], 1);
});

test('dense and hybrid evaluation run with an embedder; the index can be kept between runs', async () => {
  const embedder = hashEmbedder('hash:64', 64);
  const dbDir = join(temp.dir, 'db');
  const dense = await evaluateRetrieval({ beir: tiny, mode: 'dense', embedder, dbDir });
  assert.equal(dense.embedderId, 'hash:64');
  assert.ok(dense['ndcg@10'] > 0.5);
  const embedded = embedder.documents;
  const hybrid = await evaluateRetrieval({ beir: tiny, mode: 'hybrid', embedder, dbDir });
  assert.equal(embedder.documents, embedded, 'the kept index is reused, nothing embedded again');
  assert.equal(hybrid.queries, 3);
  await assert.rejects(evaluateRetrieval({ beir: tiny, mode: 'dense' }), /needs an embedder/);
});

test('pinpoint eval retrieval --json prints exactly the four figures', async () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  const code = await main(['eval', 'retrieval', '--beir', tiny, '--mode', 'bm25', '--json'], { stdout, stderr, signal: new AbortController().signal });
  assert.equal(code, 0);
  const figures = JSON.parse(out) as Record<string, number>;
  assert.deepEqual(Object.keys(figures), ['ndcg@10', 'recall@100', 'mrr@10', 'queries']);
  assert.equal(figures.queries, 3);
  let err = '';
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  assert.equal(await main(['eval', 'generation', '--beir', tiny], { stdout, stderr, signal: new AbortController().signal }), 2);
  assert.match(err, /Unknown evaluation "generation"/);
});
