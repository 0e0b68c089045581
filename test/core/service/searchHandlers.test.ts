// search/query with the host's reranker, through in-process services on the assistant's fixture
// index: the reranker is a start option (ServiceConfig.reranker), never a request field; with it
// the hits are reordered by the cross-encoder's scores (scores.rerank, checked against the model's
// TypeScript reference); it is loaded once and shared, a bad folder fails the search naming it
// (and is tried again by the next one), system/info names the folder, and the option reaches a
// worker host.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ServiceError } from '../../../core/service/common/errors.js';
import type { SearchHit } from '../../../core/service/common/messages/search.js';
import { createServiceHost } from '../../../core/service/node/createServiceHost.js';
import { ServiceContext } from '../../../core/service/node/handlers/context.js';
import { startInProcessService } from '../../../core/service/node/startService.js';
import { writeGloveOnnxModel } from '../../fixtures/embed/gloveOnnxModel.js';
import { CORPUS } from '../assistant/support/assistantFixture.js';
import { createRerankerFixture, rerankedPassage, type RerankerFixture } from '../rag/search/support/rerankerFixture.js';

let fixture: RerankerFixture;
before(async () => {
  fixture = await createRerankerFixture();
});
after(() => fixture?.remove());

const QUERY = 'median of samples';
const place = (h: SearchHit) => `${h.path}:${h.startLine}-${h.endLine}`;
const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: ServiceError) => `${e.code}: ${e.message}`);

async function withService<T>(reranker: string | undefined, run: (service: ReturnType<typeof startInProcessService>) => Promise<T>): Promise<T> {
  const service = startInProcessService({ dbDir: fixture.index.dbDir, reranker });
  try {
    return await run(service);
  } finally {
    await service.dispose();
  }
}

test('with a reranker folder, search/query hits are reordered by the model\'s scores and carry scores.rerank', async () => {
  const request = { query: QUERY, corpus: CORPUS, k: 5 };
  const plain = await withService(undefined, async ({ messenger }) => (await messenger.request('search/query', request)).results);
  await withService(fixture.folder, async ({ messenger }) => {
    const { results } = await messenger.request('search/query', request);
    assert.equal(results.length, 5);
    assert.ok(plain.every((h) => h.scores.rerank === undefined));
    assert.notDeepEqual(results.map(place), plain.map(place), 'the model changed the order');
    for (const h of results) {
      const want = fixture.reference(QUERY, rerankedPassage(h));
      assert.ok(Math.abs(h.scores.rerank - want) <= 1e-4, `${place(h)}: ${h.scores.rerank} vs the model's ${want}`);
      assert.equal(h.score, h.scores.rerank);
      assert.equal(typeof h.scores.fused, 'number');
    }
    for (let i = 1; i < results.length; i++) assert.ok(results[i - 1].score >= results[i].score, 'sorted by rerank score');
    const info = await messenger.request('system/info', {});
    assert.equal(info.reranker, fixture.folder);
  });
});

test('no request can name a reranker: the field is refused as unknown', async () => {
  await withService(undefined, async ({ messenger }) => {
    const request = { query: QUERY, corpus: CORPUS, reranker: fixture.folder } as unknown as { query: string };
    assert.match(await code(messenger.request('search/query', request)), /^bad-request: .*"reranker"/);
    assert.equal((await messenger.request('system/info', {})).reranker, undefined);
  });
});

test('the reranker is loaded once and shared; a failed load is tried again; dispose releases it', async () => {
  const context = new ServiceContext({ dbDir: fixture.index.dbDir, reranker: fixture.folder, hostedIn: 'in-process' });
  const [first, second] = await Promise.all([context.reranker(), context.reranker()]);
  assert.ok(first !== undefined && first === second && first === (await context.reranker()));
  let disposed = 0;
  const dispose = first.dispose.bind(first);
  first.dispose = async () => {
    disposed++;
    await dispose();
  };
  await context.dispose();
  assert.equal(disposed, 1, 'disposed with the service');
  assert.equal(await new ServiceContext({ dbDir: fixture.index.dbDir, hostedIn: 'in-process' }).reranker(), undefined);

  const missing = join(fixture.index.dbDir, '..', 'no-such-model');
  const failing = new ServiceContext({ dbDir: fixture.index.dbDir, reranker: missing, hostedIn: 'in-process' });
  const firstFailure = failing.reranker();
  await assert.rejects(firstFailure, /ONNX model folder not found: .*no-such-model/);
  const secondFailure = failing.reranker();
  assert.notEqual(secondFailure, firstFailure, 'tried again');
  await assert.rejects(secondFailure, /no-such-model/);
  await failing.dispose();
});

test('a reranker folder that is not a cross-encoder fails each search with its error, naming the folder', async () => {
  const embedding = join(fixture.index.dbDir, '..', 'embedding-model');
  await writeGloveOnnxModel(embedding, { words: 2000 });
  const cases: [string, RegExp][] = [
    [join(fixture.index.dbDir, '..', 'no-such-model'), /^bad-request: ONNX model folder not found: .*no-such-model/],
    [embedding, /^model-file: .*embedding-model\/config\.json: architectures is BertModel: not a sequence-classification/],
  ];
  for (const [folder, message] of cases) {
    await withService(folder, async ({ messenger }) => {
      for (let i = 0; i < 2; i++) assert.match(await code(messenger.request('search/query', { query: QUERY, corpus: CORPUS })), message);
    });
  }
});

test('a worker host started with a reranker reranks its searches; a relative folder is refused', async () => {
  await assert.rejects(createServiceHost({ dbDir: fixture.index.dbDir, reranker: 'models/cross-encoder' }), /The reranker folder should be an absolute path, not "models\/cross-encoder"/);
  const host = await createServiceHost({ dbDir: fixture.index.dbDir, reranker: fixture.folder });
  try {
    assert.equal((await host.messenger.request('system/info', {})).reranker, fixture.folder);
    const { results } = await host.messenger.request('search/query', { query: QUERY, corpus: CORPUS, k: 3 });
    assert.ok(results.length > 0 && results.every((h) => h.score === h.scores.rerank), JSON.stringify(results.map((h) => h.scores)));
  } finally {
    await host.dispose();
  }
});
