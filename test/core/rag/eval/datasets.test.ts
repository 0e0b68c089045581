// Tests of the collection loaders: BEIR layout (plain and gzipped corpus, default qrels choice,
// errors that name the file and line) and the CoSQA adapter, plus the tune/report split.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ArgumentError } from '../../../../core/base/common/errors.js';
import { splitQrels } from '../../../../core/rag/eval/common/dataset.js';
import { loadBeir } from '../../../../core/rag/eval/node/beir.js';
import { loadCosqa } from '../../../../core/rag/eval/node/cosqa.js';
import { loadDataset } from '../../../../core/rag/eval/node/loadDataset.js';
import { tempDir } from '../store/storeFixtures.js';

const temp = tempDir('pinpoint-beir-');
after(temp.remove);

/** Writes a tiny BEIR folder; returns its path. */
export function writeBeir(name: string, options: { gzip?: boolean; qrels?: Record<string, string> } = {}): string {
  const dir = join(temp.dir, name);
  mkdirSync(join(dir, 'qrels'), { recursive: true });
  const corpus = [
    { _id: 'd1', title: 'Vitamin D', text: 'Vitamin D deficiency is linked to bone loss.' },
    { _id: 'd2', title: 'Sleep', text: 'Short sleep raises the risk of obesity.' },
    { _id: 'd3', text: 'Coffee consumption and heart rate.' },
  ].map((d) => JSON.stringify(d)).join('\n');
  if (options.gzip) writeFileSync(join(dir, 'corpus.jsonl.gz'), gzipSync(corpus));
  else writeFileSync(join(dir, 'corpus.jsonl'), corpus + '\n');
  writeFileSync(join(dir, 'queries.jsonl'), ['{"_id":"1","text":"vitamin d and bones"}', '{"_id":"2","text":"sleep and obesity"}', '{"_id":"3","text":"unjudged"}'].join('\n'));
  for (const [file, text] of Object.entries(options.qrels ?? { 'train.tsv': 'query-id\tcorpus-id\tscore\n1\td1\t1\n2\td2\t1\n' })) writeFileSync(join(dir, 'qrels', file), text);
  return dir;
}

test('BEIR: plain or gzipped corpus, titles optional, judged queries only in qrels', () => {
  for (const gzip of [false, true]) {
    const ds = loadBeir(writeBeir(`tiny-${gzip}`, { gzip }));
    assert.deepEqual(ds.corpus.map((d) => [d.id, d.title]), [['d1', 'Vitamin D'], ['d2', 'Sleep'], ['d3', '']]);
    assert.equal(ds.queries.size, 3);
    assert.deepEqual([...ds.qrels.keys()], ['1', '2']);
    assert.match(ds.qrelsSource, /qrels\/train\.tsv$/);
    assert.equal(ds.language, 'text');
  }
});

test('BEIR: the test split is preferred over dev and train; --qrels picks a file', () => {
  const dir = writeBeir('splits', { qrels: { 'train.tsv': 'h\n1\td1\t1\n', 'test.tsv': 'h\n2\td2\t1\n' } });
  assert.deepEqual([...loadBeir(dir).qrels.keys()], ['2']);
  assert.deepEqual([...loadDataset(dir, join(dir, 'qrels', 'train.tsv')).qrels.keys()], ['1']);
});

test('BEIR: bad folders and files are named in the error', () => {
  assert.throws(() => loadBeir(temp.dir), (e: unknown) => e instanceof ArgumentError && /no corpus\.jsonl/.test(e.message));
  const badLine = writeBeir('bad-qrels', { qrels: { 'test.tsv': 'h\n1 d1 1\n' } });
  assert.throws(() => loadBeir(badLine), /test\.tsv:2: expected "query-id<TAB>corpus-id<TAB>score"/);
  const unknownQuery = writeBeir('unknown-query', { qrels: { 'test.tsv': 'h\n7\td1\t1\n' } });
  assert.throws(() => loadBeir(unknownQuery), /query "7" is not in/);
  const badJson = writeBeir('bad-json');
  writeFileSync(join(badJson, 'queries.jsonl'), '{"_id":"1","text":"a"}\n{oops\n');
  assert.throws(() => loadBeir(badJson), /queries\.jsonl:2: not a JSON object/);
});

test('CoSQA: code_idx_map.txt is the corpus, each query judges its retrieval_idx', () => {
  const dir = join(temp.dir, 'cosqa');
  mkdirSync(dir);
  writeFileSync(join(dir, 'code_idx_map.txt'), JSON.stringify({ 'def a():\n    pass': 0, 'def b():\n    return 1': 1 }));
  writeFileSync(join(dir, 'cosqa-retrieval-dev-2.json'), JSON.stringify([{ idx: 'q-1', doc: 'python function b', retrieval_idx: 1 }, { idx: 'q-2', doc: 'a', retrieval_idx: 0 }]));
  const ds = loadDataset(dir);
  assert.equal(ds.language, 'python');
  assert.deepEqual(ds.corpus.map((d) => d.id), ['0', '1']);
  assert.deepEqual([...ds.qrels.get('q-1')!], [['1', 1]]);
  assert.equal(ds.queries.get('q-1')?.text, 'python function b');
  writeFileSync(join(dir, 'bad.json'), '{}');
  assert.throws(() => loadCosqa(dir, join(dir, 'bad.json')), /expected a JSON array/);
});

test('the tune and report halves alternate over sorted ids and cover every query once', () => {
  const qrels = new Map(['10', '2', '1', '33', '4'].map((id) => [id, new Map([['d', 1]])]));
  assert.deepEqual([...splitQrels(qrels, 'tune').keys()].sort(), ['1', '33', '4']);
  assert.deepEqual([...splitQrels(qrels, 'report').keys()].sort(), ['10', '2']);
  assert.equal(splitQrels(qrels, 'all'), qrels);
});
