// Damaged tables are detected when a store opens, and repaired: a lost data file (restored to
// the newest clean version, or rebuilt), a corrupt manifest, a table of another embedder or
// layout under the expected name (rebuilt empty). A repaired store takes writes again.

import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as lancedb from '@lancedb/lancedb';
import { ChunkStore } from '../../../../core/rag/store/node/ChunkStore.js';
import { chunkSchema } from '../../../../core/rag/store/node/arrowRows.js';
import { chunkTableName } from '../../../../core/rag/store/common/tableName.js';
import { fileOf, tempDir } from './storeFixtures.js';

const temp = tempDir('pinpoint-health-');
after(temp.remove);
const embedder = { id: 'test:4', dimension: 4 };
const open = (corpus: string) => ChunkStore.open({ dir: temp.dir, corpus, embedder, autoMaintain: false });
const tableDir = (corpus: string) => join(temp.dir, `${chunkTableName(corpus, embedder.id)}.lance`);

/** Data files of a table, newest last (Lance names them by uuid; order by modification). */
function dataFiles(corpus: string): string[] {
  const dir = join(tableDir(corpus), 'data');
  return readdirSync(dir).map((n) => join(dir, n));
}

test('a deleted data file is detected; the newest clean version is restored', async () => {
  let store = await open('lost-file');
  await store.replaceFiles([fileOf('a.ts', 2, 'h1')]);
  const before = new Set(dataFiles('lost-file'));
  await store.replaceFiles([fileOf('b.ts', 3, 'h1')]);
  await store.close();
  const added = dataFiles('lost-file').filter((f) => !before.has(f));
  assert.equal(added.length, 1);
  rmSync(added[0]);
  store = await open('lost-file');
  assert.equal(store.repair.action, 'restored', JSON.stringify(store.repair));
  assert.match(store.repair.reason ?? '', /scan failed/);
  assert.deepEqual((await store.listFiles()).map((f) => f.path), ['a.ts'], 'the version before b.ts was written');
  await store.replaceFiles([fileOf('b.ts', 3, 'h1')]);
  assert.equal(await store.count(), 5);
  await store.close();
});

test('a table whose every data file is gone comes back empty (its first, empty version) and takes writes', async () => {
  let store = await open('all-lost');
  await store.replaceFiles([fileOf('a.ts', 2, 'h1')]);
  await store.close();
  for (const file of dataFiles('all-lost')) rmSync(file);
  store = await open('all-lost');
  assert.ok(['restored', 'rebuilt'].includes(store.repair.action), JSON.stringify(store.repair));
  assert.equal(await store.count(), 0);
  await store.replaceFiles([fileOf('a.ts', 2, 'h2')]);
  assert.equal(await store.count(), 2);
  await store.close();
});

test('a corrupt latest manifest is detected and repaired', async () => {
  let store = await open('bad-manifest');
  await store.replaceFiles([fileOf('a.ts', 2, 'h1')]);
  await store.replaceFiles([fileOf('b.ts', 1, 'h1')]);
  await store.close();
  const versions = join(tableDir('bad-manifest'), '_versions');
  const manifests = readdirSync(versions).filter((n) => n.endsWith('.manifest')).sort();
  const latest = manifests.map((n) => join(versions, n)).sort((x, y) => Number(/(\d+)\.manifest$/.exec(y)?.[1]) - Number(/(\d+)\.manifest$/.exec(x)?.[1]))[0];
  writeFileSync(latest, 'this is not a manifest');
  store = await open('bad-manifest');
  assert.notEqual(store.repair.action, 'none', 'the damage is noticed');
  assert.ok(['restored', 'rebuilt'].includes(store.repair.action));
  await store.replaceFiles([fileOf('c.ts', 1, 'h1')]);
  assert.ok((await store.listFiles()).some((f) => f.path === 'c.ts'));
  await store.close();
});

test('a table of another embedder or layout under the expected name is rebuilt, never mixed', async () => {
  const db = await lancedb.connect(temp.dir);
  const name = chunkTableName('impostor', embedder.id);
  await db.createEmptyTable(name, chunkSchema('impostor', { id: 'other-model', dimension: 4 }));
  db.close();
  const store = await open('impostor');
  assert.equal(store.repair.action, 'rebuilt');
  assert.match(store.repair.reason ?? '', /pinpoint\.embedder\.id is "other-model", expected "test:4"/);
  assert.equal((await store.table.schema()).metadata.get('pinpoint.embedder.id'), 'test:4');
  await store.close();
});
