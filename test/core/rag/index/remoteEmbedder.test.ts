// Indexing with a remote embedder (`openai:` spec) through the real indexer and LanceDB, against a
// local /v1/embeddings of hashed bags of words: the table and the corpus alias record the remote
// embedder's id and dimension, dense search finds the file about the query first; a server that
// fails in the middle of a run fails the run with the server's error, leaves whole files only
// (those embedded before the failure are written, none half), and the next run resumes from
// there to the table of a clean run.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { after, before, test } from 'node:test';
import { RemoteError } from '../../../../core/models/openai/common/RemoteError.js';
import type { Embedder } from '../../../../core/rag/common/embedder.js';
import { createEmbedder } from '../../../../core/rag/embed/node/createEmbedder.js';
import { indexRoots } from '../../../../core/rag/index/node/indexRoots.js';
import { Retriever } from '../../../../core/rag/search/node/Retriever.js';
import { METADATA } from '../../../../core/rag/store/common/schema.js';
import { readAlias } from '../../../../core/rag/store/node/alias.js';
import { openCurrentStore } from '../../../../core/rag/store/node/corpus.js';
import { startBagOfWordsServer, type BagOfWordsServer } from '../embed/support/bagOfWordsServer.js';
import { tempFolder, writeTree } from '../ingest/support/tempTree.js';
import { tableSnapshot, topicTree } from './indexSupport.js';

let server: BagOfWordsServer;
let embedder: Embedder;
const work = tempFolder('pinpoint-remote-index-');
/** A new folder `name` in this file's temp folder. */
const folder = (name: string): string => mkdtempSync(join(work.path, name));

before(async () => {
  server = await startBagOfWordsServer(256);
  embedder = await createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}`, { env: {}, remote: { retryBaseDelayMs: 1, maxRetries: 1 } });
});
after(async () => {
  await embedder.dispose();
  await server.close();
  work.remove();
});

test('the table records the remote embedder; dense search finds the file about the query first', async () => {
  const root = folder('tree-');
  writeTree(root, topicTree());
  const db = folder('db-');
  const report = await indexRoots({ roots: [root], dbDir: db, corpus: 'c', embedder });
  assert.equal(report.embedderId, embedder.id);
  assert.match(embedder.id, /^openai:127\.0\.0\.1:\d+\/bow-embed@256d\?maxTokens=512$/);
  assert.deepEqual([report.filesIndexed, report.chunks], [8, 8]);

  const alias = await readAlias(db, 'c');
  assert.deepEqual([alias?.embedderId, alias?.dimension, alias?.table], [embedder.id, 256, report.table]);
  const table = await (await lancedb.connect(db)).openTable(report.table);
  const schema = await table.schema();
  assert.equal(schema.metadata.get(METADATA.embedderId), embedder.id);
  table.close();

  const store = await openCurrentStore(db, 'c');
  try {
    const retriever = new Retriever(store, { embedder });
    for (const [query, expected] of [
      ['planets orbit seen through a telescope', 'docs/astronomy.md'],
      ['tomato basil pasta recipe', 'docs/cooking.md'],
      ['parse the config file', 'src/config.ts'],
      ['rain and wind forecast', 'src/weather.ts'],
    ]) {
      const [top] = await retriever.search(query, { mode: 'dense', k: 3 });
      assert.equal(top.path, expected, query);
    }
  } finally {
    await store.close();
  }
});

test('a server failing mid-run fails the run with its error, keeps whole files only, and the next run resumes to a clean table', async () => {
  const root = folder('fail-tree-');
  writeTree(root, topicTree());
  const clean = folder('clean-');
  await indexRoots({ roots: [root], dbDir: clean, corpus: 'c', embedder });
  const expected = await tableSnapshot(clean, 'c', embedder);

  // Files are embedded one request each, in walk order, and written two at a time: the 6th
  // request fails (with its retry), so 4 files are written by then and the 5th is queued.
  const db = folder('fail-db-');
  server.failAfter(5);
  let progressed = 0;
  await assert.rejects(
    indexRoots({ roots: [root], dbDir: db, corpus: 'c', embedder, batchFiles: 2, progressIntervalMs: 0, onProgress: (p) => (progressed = p.filesDone) }),
    (e: unknown) => {
      assert.ok(e instanceof RemoteError, String(e));
      assert.equal(e.status, 500);
      assert.match(e.message, /^POST http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: HTTP 500.*model runner crashed/);
      return true;
    },
  );
  assert.equal(progressed, 5);
  server.failing = false;

  const written = await tableSnapshot(db, 'c', embedder);
  const paths = new Set(written.map((row) => JSON.parse(row)[1] as string));
  assert.equal(paths.size, 5, 'the files embedded before the failure are kept, the queued one included');
  assert.deepEqual(written, expected.filter((row) => paths.has(JSON.parse(row)[1] as string)), 'every written file whole, as in a clean run');

  const resumed = await indexRoots({ roots: [root], dbDir: db, corpus: 'c', embedder });
  assert.deepEqual([resumed.filesIndexed, resumed.filesUnchanged, resumed.filesRemoved], [3, 5, 0]);
  assert.deepEqual(await tableSnapshot(db, 'c', embedder), expected);
  assert.equal((await readAlias(db, 'c'))?.embedderId, embedder.id);
});
