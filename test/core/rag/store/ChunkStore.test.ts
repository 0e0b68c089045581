// Tests of the chunk store: replacing and deleting files, marker rows of empty files, listing
// for incremental indexing, bad input refused before any write, identity in the schema, and
// maintenance building the full-text and vector indexes.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ArgumentError } from '../../../../core/base/common/errors.js';
import { readAlias } from '../../../../core/rag/store/node/alias.js';
import { ChunkStore } from '../../../../core/rag/store/node/ChunkStore.js';
import { METADATA } from '../../../../core/rag/store/common/schema.js';
import { chunkTableName } from '../../../../core/rag/store/common/tableName.js';
import { fileOf, tempDir, vectorOf } from './storeFixtures.js';

const temp = tempDir();
after(temp.remove);
let corpusCount = 0;
const open = (options: { dimension?: number; vectorIndexMinRows?: number } = {}) =>
  ChunkStore.open({
    dir: temp.dir,
    corpus: `c${corpusCount++}`,
    embedder: { id: `test:${options.dimension ?? 4}`, dimension: options.dimension ?? 4 },
    maintain: { vectorIndexMinRows: options.vectorIndexMinRows },
  });

test('replaceFiles replaces all rows of a file; other files keep theirs', async () => {
  const store = await open();
  assert.equal(store.repair.action, 'created');
  await store.replaceFiles([fileOf('a.ts', 3, 'h1'), fileOf('b.ts', 2, 'h1')]);
  await store.replaceFiles([fileOf('a.ts', 1, 'h2')]);
  const a = await store.readChunks([{ root: '/project', path: 'a.ts' }]);
  assert.deepEqual(a.map((c) => [c.ordinal, c.contentHash, c.text]), [[0, 'h2', '// h2 chunk 0 of a.ts']]);
  assert.equal((await store.readChunks([{ root: '/project', path: 'b.ts' }])).length, 2);
  assert.equal(await store.count(), 3);
  await store.replaceFiles([fileOf('a.ts', 4, 'h3')]);
  assert.equal(await store.count(), 6);
  await store.close();
});

test('a file without chunks is listed through its marker row and never counted or read', async () => {
  const store = await open();
  await store.replaceFiles([fileOf('empty.py', 0, 'e0'), fileOf('x.ts', 2, 'x1')]);
  assert.deepEqual(
    (await store.listFiles()).map((f) => [f.path, f.contentHash, f.chunks]),
    [['empty.py', 'e0', 0], ['x.ts', 'x1', 2]],
  );
  assert.equal(await store.count(), 2);
  assert.deepEqual((await store.readChunks()).map((c) => c.path), ['x.ts', 'x.ts']);
  await store.replaceFiles([fileOf('empty.py', 1, 'e1')]);
  assert.deepEqual((await store.listFiles()).find((f) => f.path === 'empty.py')?.chunks, 1);
  await store.close();
});

test('deleteFiles removes a file in one commit; listFiles filters by root', async () => {
  const store = await open();
  await store.replaceFiles([fileOf('a.ts', 2, 'h'), fileOf('b.ts', 1, 'h'), fileOf("it's.md", 1, 'h', 4, { root: '/other' })]);
  const version = await store.table.version();
  assert.equal(await store.deleteFiles([{ root: '/project', path: 'a.ts' }, { root: '/other', path: "it's.md" }]), 3);
  assert.equal(await store.table.version(), version + 1);
  assert.deepEqual((await store.listFiles()).map((f) => f.path), ['b.ts']);
  await store.replaceFiles([fileOf('c.ts', 1, 'h', 4, { root: '/other' })]);
  assert.deepEqual((await store.listFiles('/other')).map((f) => f.path), ['c.ts']);
  await store.close();
});

test('bad input is refused before anything is written', async () => {
  const store = await open();
  await store.replaceFiles([fileOf('a.ts', 2, 'h1')]);
  const short = fileOf('a.ts', 2, 'h2');
  const wrongLength = { ...short, vectors: [vectorOf(1, 4), vectorOf(2, 3)] };
  await assert.rejects(() => store.replaceFiles([wrongLength]), (e: unknown) => e instanceof ArgumentError && /3 numbers; this table holds 4/.test(e.message));
  await assert.rejects(() => store.replaceFiles([{ ...short, vectors: [vectorOf(1, 4)] }]), /2 chunks but 1 vectors/);
  const swapped = { ...short, chunks: [short.chunks[1], short.chunks[0]] };
  await assert.rejects(() => store.replaceFiles([swapped]), /ordinal 1; ordinals are 0, 1, 2/);
  await assert.rejects(() => store.replaceFiles([short, short]), /given twice/);
  assert.deepEqual((await store.readChunks()).map((c) => c.contentHash), ['h1', 'h1']);
  await store.close();
});

test('the table records its embedder identity; its name is derived from corpus and embedder', async () => {
  const store = await open({ dimension: 8 });
  const schema = await store.table.schema();
  assert.equal(schema.metadata.get(METADATA.embedderId), 'test:8');
  assert.equal(schema.metadata.get(METADATA.dimension), '8');
  assert.equal(store.tableName, chunkTableName(store.corpus, 'test:8'));
  assert.notEqual(chunkTableName('c', 'test:8'), chunkTableName('c', 'test:8b'));
  assert.deepEqual(await readAlias(temp.dir, store.corpus), { ...(await readAlias(temp.dir, store.corpus))!, table: store.tableName, embedderId: 'test:8', dimension: 8 });
  await store.close();
});

test('maintain builds both full-text indexes, and the vector index past the threshold only', async () => {
  const store = await open({ vectorIndexMinRows: 300 });
  await store.replaceFiles(Array.from({ length: 20 }, (_, i) => fileOf(`f${i}.ts`, 10, `h${i}`)));
  let report = await store.maintain();
  assert.deepEqual(report.fullTextBuilt, ['search_body', 'search_summary']);
  assert.equal(report.vectorIndexBuilt, false);
  report = await store.maintain();
  assert.deepEqual(report.fullTextBuilt, [], 'current indexes are not rebuilt');
  await store.replaceFiles(Array.from({ length: 20 }, (_, i) => fileOf(`g${i}.ts`, 10, `h${i}`)));
  report = await store.maintain();
  assert.equal(report.vectorIndexBuilt, true);
  const indexes = await store.table.listIndices();
  assert.deepEqual(indexes.map((i) => i.name).sort(), ['search_body_idx', 'search_summary_idx', 'vector_idx']);
  assert.ok(indexes.every((i) => i.numUnindexedRows === 0), 'optimize indexed every row');
  await store.close();
});

test('a new analyzer setting rebuilds the full-text indexes', async () => {
  const store = await open();
  await store.replaceFiles([fileOf('a.ts', 2, 'h')]);
  await store.maintain();
  const { maintainIndexes } = await import('../../../../core/rag/store/node/indexes.js');
  const { FULL_TEXT_OPTIONS } = await import('../../../../core/rag/store/common/indexPolicy.js');
  const report = await maintainIndexes(store.table, { fullText: { ...FULL_TEXT_OPTIONS, stem: false }, optimize: false });
  assert.deepEqual(report.fullTextBuilt, ['search_body', 'search_summary']);
  await store.close();
});
