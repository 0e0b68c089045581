// Switching a corpus to another embedder: the new table (another dimension) is built beside the
// current one while searches still go to the old table, the alias moves when it is complete, an
// interrupted switch resumes without embedding again what it had copied, and unused tables can
// be removed afterwards.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CancelledError } from '../../../../core/base/common/errors.js';
import { readAlias } from '../../../../core/rag/store/node/alias.js';
import { ChunkStore } from '../../../../core/rag/store/node/ChunkStore.js';
import { openCurrentStore, removeUnusedTables, switchEmbedder } from '../../../../core/rag/store/node/corpus.js';
import { chunkTableName } from '../../../../core/rag/store/common/tableName.js';
import { textToEmbed } from '../../../../core/rag/store/common/schema.js';
import { fileOf, hashEmbedder, tempDir } from './storeFixtures.js';

const temp = tempDir('pinpoint-switch-');
after(temp.remove);

/** A corpus of 12 files indexed with a 4-d embedder. */
async function seed(corpus: string): Promise<void> {
  const small = hashEmbedder('hash:4', 4);
  const store = await ChunkStore.open({ dir: temp.dir, corpus, embedder: small });
  const files = Array.from({ length: 12 }, (_, i) => fileOf(`src/f${i}.ts`, 3, `h${i}`, 4, { text: (j) => `function part${j} of file ${i} alpha` }));
  for (const f of files) await store.replaceFiles([{ ...f, vectors: await small.embedDocuments(f.chunks.map(textToEmbed)) }]);
  await store.maintain();
  await store.close();
}

test('switching to an embedder of another dimension builds a new table, then swaps the alias', async () => {
  await seed('switch');
  const big = hashEmbedder('hash:16', 16);
  const before = await readAlias(temp.dir, 'switch');
  assert.equal(before?.embedderId, 'hash:4');
  let sawOldAlias = false;
  const report = await switchEmbedder({
    dir: temp.dir,
    corpus: 'switch',
    embedder: big,
    batchSize: 9,
    onProgress: () => {
      void readAlias(temp.dir, 'switch').then((a) => (sawOldAlias ||= a?.embedderId === 'hash:4'));
    },
  });
  assert.equal(report.from?.embedderId, 'hash:4');
  assert.deepEqual([report.to.embedderId, report.to.dimension, report.to.table], ['hash:16', 16, chunkTableName('switch', 'hash:16')]);
  assert.equal(report.filesCopied, 12);
  assert.equal(report.chunks, 36);
  assert.equal(big.documents, 36);
  assert.ok(sawOldAlias, 'the alias pointed at the old table while the new one was built');
  const current = await openCurrentStore(temp.dir, 'switch');
  assert.equal(current.embedder.dimension, 16);
  assert.equal(current.repair.action, 'none');
  const rows = await current.table.query().select(['vector']).limit(1).toArray();
  assert.equal((rows[0] as { vector: { length: number } }).vector.length, 16);
  await current.close();
  const again = await switchEmbedder({ dir: temp.dir, corpus: 'switch', embedder: big });
  assert.equal(again.filesCopied, 0, 'switching to the current embedder does nothing');
  assert.deepEqual(await removeUnusedTables(temp.dir, 'switch'), [chunkTableName('switch', 'hash:4')]);
});

test('an interrupted switch leaves the alias alone and resumes without re-embedding copied files', async () => {
  await seed('resume');
  const big = hashEmbedder('hash:8', 8);
  const controller = new AbortController();
  await assert.rejects(
    switchEmbedder({ dir: temp.dir, corpus: 'resume', embedder: big, batchSize: 6, signal: controller.signal, onProgress: (done) => done >= 12 && controller.abort() }),
    CancelledError,
  );
  assert.equal((await readAlias(temp.dir, 'resume'))?.embedderId, 'hash:4', 'searches still use the old table');
  const embeddedBefore = big.documents;
  assert.equal(embeddedBefore, 12);
  const report = await switchEmbedder({ dir: temp.dir, corpus: 'resume', embedder: big });
  assert.equal(report.filesCopied, 8);
  assert.equal(report.filesReused, 4);
  assert.equal(big.documents - embeddedBefore, 24, 'only the 8 remaining files were embedded');
  assert.equal(report.chunks, 36);
  assert.equal((await readAlias(temp.dir, 'resume'))?.embedderId, 'hash:8');
});
