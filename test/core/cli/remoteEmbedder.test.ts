// `pinpoint index --embedder openai:<model>?baseUrl=...` and `pinpoint search` through main()
// in-process, with the index run in its worker thread, against a local /v1/embeddings of hashed
// bags of words: the corpus records the spec (no API key in it), search embeds its query with the
// same remote model and finds the file about it first; a bad spec exits 2 naming the problem, and
// a server that fails exits 5 (network) with the server's error.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EXIT_BAD_ARGUMENT, EXIT_NETWORK, EXIT_OK } from '../../../core/cli/exitCodes.js';
import { startBagOfWordsServer, type BagOfWordsServer } from '../rag/embed/support/bagOfWordsServer.js';
import { tempFolder, writeTree } from '../rag/ingest/support/tempTree.js';
import { topicTree } from '../rag/index/indexSupport.js';
import { runMain } from './support/runMain.js';

let server: BagOfWordsServer;
let spec: string;
const root = tempFolder('pinpoint-cli-remote-tree-');
const db = tempFolder('pinpoint-cli-remote-db-');

before(async () => {
  server = await startBagOfWordsServer(128);
  spec = `openai:bow-embed?baseUrl=${server.encodedBaseUrl}`;
  writeTree(root.path, topicTree());
});
after(async () => {
  await server.close();
  root.remove();
  db.remove();
});

test('index with an openai: embedder, then dense search with it', async () => {
  const index = await runMain(['index', root.path, '--db', db.path, '--corpus', 'c', '--embedder', spec, '--json']);
  assert.equal(index.code, EXIT_OK, index.stderr);
  const report = JSON.parse(index.stdout.trim().split('\n').at(-1)!);
  assert.equal(report.filesIndexed, 8);
  assert.match(report.embedderId, /^openai:127\.0\.0\.1:\d+\/bow-embed@128d\?maxTokens=512$/);
  const corpora = JSON.parse(readFileSync(join(db.path, 'corpora.json'), 'utf8'));
  assert.equal(corpora.c.embedder, spec);

  const before = server.embeddingRequests().length;
  const search = await runMain(['search', 'guitar chords of a song', '--db', db.path, '--corpus', 'c', '--mode', 'dense', '--k', '3', '--json']);
  assert.equal(search.code, EXIT_OK, search.stderr);
  const { results } = JSON.parse(search.stdout) as { results: { path: string }[] };
  assert.equal(results[0].path, 'src/music.py');
  assert.ok(server.embeddingRequests().slice(before).some((r) => (r.body?.input as string[])[0] === 'guitar chords of a song'), 'the query went to the server');
});

test('a bad spec exits 2 naming the problem; a failing server exits 5 with its error', async () => {
  const cases: [string, RegExp][] = [
    ['openai:bow-embed', /needs its server: add \?baseUrl=/],
    ['openai:bow-embed?baseUrl=ftp%3A%2F%2Fhost', /Unsupported server URL scheme: "ftp"/],
    [`openai:bow-embed?baseUrl=${server.encodedBaseUrl}&pooling=cls`, /unknown option "pooling" for a openai embedder/],
  ];
  for (const [bad, message] of cases) {
    const run = await runMain(['index', root.path, '--db', db.path, '--corpus', 'bad', '--embedder', bad]);
    assert.equal(run.code, EXIT_BAD_ARGUMENT, bad);
    assert.match(run.stderr, message);
  }
  server.failing = true;
  try {
    const run = await runMain(['index', root.path, '--db', db.path, '--corpus', 'down', '--embedder', `${spec}&batchSize=4`]);
    assert.equal(run.code, EXIT_NETWORK, run.stderr);
    assert.match(run.stderr, /POST http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: HTTP 500.*model runner crashed/);
  } finally {
    server.failing = false;
  }
});
