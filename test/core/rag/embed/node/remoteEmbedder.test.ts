// The remote embedder made by createEmbedder from an `openai:` spec, against a local
// /v1/embeddings speaking hashed bags of words: the dimension is probed at creation, the id pins
// host, model, dimension, maxTokens and prompts (never the API key, which comes from the
// environment), vectors are normalized, batches follow batchSize, known models get their prefixes,
// long texts are cut to maxTokens estimated tokens, token counts are the remote chat model's
// estimate, `dimensions` is asked for; an unreachable server or a cancelled probe fails creation.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CancelledError } from '../../../../../core/base/common/errors.js';
import { RemoteError } from '../../../../../core/models/openai/common/RemoteError.js';
import { estimateTokens } from '../../../../../core/models/openai/common/tokenEstimate.js';
import { shortHash } from '../../../../../core/rag/embed/common/embedderId.js';
import { RemoteEmbedder } from '../../../../../core/rag/embed/common/RemoteEmbedder.js';
import { l2Normalize } from '../../../../../core/rag/embed/common/vectors.js';
import { createEmbedder } from '../../../../../core/rag/embed/node/createEmbedder.js';
import { bagOfWords, startBagOfWordsServer, type BagOfWordsServer } from '../support/bagOfWordsServer.js';

const KEY = 'sk-remote-embedder-SECRET-1234';
let server: BagOfWordsServer;
let host: string;

before(async () => {
  server = await startBagOfWordsServer(32);
  host = server.url.slice('http://'.length);
});
after(() => server.close());

const inputsOf = (from: number) => server.embeddingRequests().slice(from).map((r) => r.body?.input as string[]);

test('openai:<model>?baseUrl=...: dimension probed, id pinned, key from the environment, normalized vectors in batches', async () => {
  const before = server.embeddingRequests().length;
  const embedder = await createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}&batchSize=2`, { env: { OPENAI_API_KEY: 'sk-other', PINPOINT_OPENAI_API_KEY: KEY } });
  assert.ok(embedder instanceof RemoteEmbedder);
  assert.equal(embedder.id, `openai:${host}/bow-embed@32d?maxTokens=512`);
  assert.ok(!embedder.id.includes(KEY));
  assert.deepEqual([embedder.dimension, embedder.maxTokens, embedder.normalized], [32, 512, true]);
  assert.equal(server.embeddingRequests().length, before + 1, 'one probe request at creation');

  const texts = ['parse the config file', 'orbit of the planets', 'tomato basil pasta'];
  const vectors = await embedder.embedDocuments(texts);
  assert.deepEqual(vectors.map((v) => Array.from(v)), texts.map((t) => Array.from(l2Normalize(new Float32Array(bagOfWords(t, 32))))));
  assert.deepEqual(inputsOf(before + 1), [texts.slice(0, 2), texts.slice(2)]);
  const seen = server.embeddingRequests().at(-1)!;
  assert.equal(seen.headers.authorization, `Bearer ${KEY}`);
  assert.equal(seen.body?.model, 'bow-embed');
  assert.deepEqual(Array.from(await embedder.embedQuery('orbit of the planets')), Array.from(vectors[1]));
  assert.deepEqual(await embedder.embedDocuments([]), []);
  assert.equal(embedder.countTokens('abcdef'), estimateTokens('abcdef'));
  assert.equal(embedder.countTokens('日本語'), 3);
  await embedder.dispose();

  // The same spec with another batch size or encoding is the same embedder (same vectors, same table).
  const other = await createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}&encoding=base64&batchSize=7`, { env: {} });
  assert.equal(other.id, embedder.id);
  assert.equal(server.embeddingRequests().at(-1)!.headers.authorization, undefined, 'no key in the environment: none sent');
});

test('a known model gets its prefixes (nomic-embed-text), pinned in the id; explicit prefixes win', async () => {
  const nomic = await createEmbedder(`openai:nomic-embed-text?baseUrl=${server.encodedBaseUrl}`, { env: {} });
  assert.equal(nomic.id, `openai:${host}/nomic-embed-text@32d?maxTokens=512&prompts=${shortHash('search_query: \0search_document: ')}`);
  const from = server.embeddingRequests().length;
  await nomic.embedDocuments(['a document']);
  await nomic.embedQuery('a question');
  assert.deepEqual(inputsOf(from), [['search_document: a document'], ['search_query: a question']]);

  const plain = await createEmbedder(`openai:nomic-embed-text?baseUrl=${server.encodedBaseUrl}&queryPrefix=&documentPrefix=`, { env: {} });
  assert.equal(plain.id, `openai:${host}/nomic-embed-text@32d?maxTokens=512`);
  const custom = await createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}&queryPrefix=query%3A%20`, { env: {} });
  assert.equal(custom.id, `openai:${host}/bow-embed@32d?maxTokens=512&prompts=${shortHash('query: \0')}`);
});

test('texts above maxTokens estimated tokens are cut there, prefix included, never inside a character', async () => {
  const embedder = await createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}&maxTokens=10&queryPrefix=q%3A%20`, { env: {} });
  assert.equal(embedder.maxTokens, 10);
  assert.match(embedder.id, /maxTokens=10/);
  const from = server.embeddingRequests().length;
  await embedder.embedDocuments(['x'.repeat(100), 'short', '😀'.repeat(20)]);
  await embedder.embedQuery('y'.repeat(100));
  const [documents, [query]] = inputsOf(from);
  assert.deepEqual(documents, ['x'.repeat(30), 'short', '😀'.repeat(7)]);
  assert.equal(query, `q: ${'y'.repeat(27)}`);
  assert.ok([...documents, query].every((t) => estimateTokens(t) <= 10));
  await assert.rejects(createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}&maxTokens=2&documentPrefix=search_document%3A%20`, { env: {} }), /Invalid maxTokens for openai:.*: 2. Should be an integer above the prefixes' 6 estimated tokens/);
});

test('dimensions=N asks the server for N and makes an N-dimension embedder', async () => {
  const embedder = await createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}&dimensions=8`, { env: {} });
  assert.equal(embedder.dimension, 8);
  assert.equal(embedder.id, `openai:${host}/bow-embed@8d?maxTokens=512`);
  assert.equal(server.embeddingRequests().at(-1)!.body?.dimensions, 8);
  assert.equal((await embedder.embedQuery('x y z')).length, 8);
});

test('creation fails clearly: server down (connection), server error (HTTP 500 after retries), cancelled probe', async () => {
  const down = await startBagOfWordsServer();
  const url = encodeURIComponent(down.url);
  await down.close();
  await assert.rejects(createEmbedder(`openai:bow-embed?baseUrl=${url}`, { env: {} }), (e: unknown) => {
    assert.ok(e instanceof RemoteError);
    assert.equal(e.failure, 'connection');
    assert.ok(e.message.startsWith(`POST ${down.url}/v1/embeddings: `), e.message);
    return true;
  });
  server.failing = true;
  try {
    await assert.rejects(createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}`, { env: {}, remote: { retryBaseDelayMs: 1 } }), (e: unknown) => {
      assert.ok(e instanceof RemoteError);
      assert.equal(e.status, 500);
      assert.match(e.message, /model runner crashed/);
      return true;
    });
  } finally {
    server.failing = false;
  }
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(createEmbedder(`openai:bow-embed?baseUrl=${server.encodedBaseUrl}`, { env: {}, signal: controller.signal }), CancelledError);
});
