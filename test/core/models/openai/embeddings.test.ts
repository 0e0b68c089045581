// OpenAiEmbeddingClient against a local /v1/embeddings: batches keep input order (the server
// answers shuffled, by `index`), base64 vectors decode, Retry-After is honored and bounded,
// 5xx is retried with backoff, the vector length is held across calls (a change names the
// endpoint and the model), malformed answers are protocol errors, cancellation stops retries.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CancelledError } from '../../../../core/base/common/errors.js';
import { OpenAiEmbeddingClient, RemoteError, type OpenAiSettings } from '../../../../core/models/openai/common/index.js';
import { decodeBase64 } from '../../../../core/models/openai/common/embeddingProtocol.js';
import { sendJson, startServer, type FakeServer, type Handler, type SeenRequest } from './fakeServer.js';

const KEY = 'sk-embed-SECRET-987654321';
const scenarios = new Map<string, Handler>();
let server: FakeServer;

before(async () => {
  server = await startServer((request, res, req) => scenarios.get(String(req.headers['x-scenario']))?.(request, res, req));
});
after(() => server.close());

function client(scenario: string, handler: Handler, settings: Partial<OpenAiSettings> = {}, dimension?: number): OpenAiEmbeddingClient {
  scenarios.set(scenario, handler);
  return new OpenAiEmbeddingClient(
    { baseUrl: `${server.url}/v1`, apiKey: KEY, embeddingModel: 'embed-model', headers: { 'X-Scenario': scenario }, retryBaseDelayMs: 1, ...settings },
    { dimension },
  );
}

function requestsOf(scenario: string): SeenRequest[] {
  return server.requests.filter((r) => r.headers['x-scenario'] === scenario);
}

/** A vector that identifies its text: [length, first char code, last char code, a fraction]. */
function vectorOf(text: string, dimension = 4): number[] {
  const base = [text.length, text.charCodeAt(0), text.charCodeAt(text.length - 1), 0.125];
  return Array.from({ length: dimension }, (_, i) => base[i % 4] + Math.floor(i / 4));
}

function toBase64(values: readonly number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

/** Answers each batch in reverse order with `index`, as floats or base64 as asked. */
const reversed = (dimension = 4): Handler => (request, res) => {
  const input = request.body?.input as string[];
  const base64 = request.body?.encoding_format === 'base64';
  const data = input.map((text, index) => ({ object: 'embedding', index, embedding: base64 ? toBase64(vectorOf(text, dimension)) : vectorOf(text, dimension) }));
  sendJson(res, 200, { object: 'list', model: 'embed-model', data: data.reverse(), usage: { prompt_tokens: 1, total_tokens: 1 } });
};

const TEXTS = ['alpha', 'b', 'gamma ray', 'delta', 'épsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];

test('batches of 3 keep the input order although the server answers each batch reversed', async () => {
  const embeddings = client('order', reversed(), { embeddingBatchSize: 3 });
  const vectors = await embeddings.embed(TEXTS);
  assert.deepEqual(vectors.map((v) => Array.from(v)), TEXTS.map((t) => vectorOf(t)));
  const seen = requestsOf('order');
  assert.deepEqual(seen.map((r) => (r.body?.input as string[]).length), [3, 3, 3, 1]);
  assert.deepEqual(seen.map((r) => r.path), ['/v1/embeddings', '/v1/embeddings', '/v1/embeddings', '/v1/embeddings']);
  assert.deepEqual(seen[0].body, { model: 'embed-model', input: ['alpha', 'b', 'gamma ray'] });
  assert.equal(seen[0].headers.authorization, `Bearer ${KEY}`);
  assert.equal(embeddings.dimension, 4);
  assert.equal(embeddings.id, `openai:${server.url.slice('http://'.length)}/embed-model`);
  assert.deepEqual(await embeddings.embed([]), []);
});

test('base64 vectors (encoding_format) decode to the same floats', async () => {
  const embeddings = client('base64', reversed(6), { embeddingEncoding: 'base64', embeddingBatchSize: 4 });
  const vectors = await embeddings.embed(TEXTS.slice(0, 5));
  assert.deepEqual(vectors.map((v) => Array.from(v)), TEXTS.slice(0, 5).map((t) => vectorOf(t, 6)));
  assert.equal(requestsOf('base64')[0].body?.encoding_format, 'base64');
  assert.equal(await embeddings.detectDimension(), 6);
  assert.deepEqual(decodeBase64('AAAAAA'), new Uint8Array([0, 0, 0, 0]));
  assert.equal(decodeBase64('not base64!'), undefined);
});

test('429 with Retry-After: 1 waits a second, then succeeds; retry-after-ms and 503 backoff too', async () => {
  let calls = 0;
  const limited = client('retry-after', (request, res) => {
    if (calls++ === 0) return sendJson(res, 429, { error: { message: 'slow down' } }, { 'Retry-After': '1' });
    return reversed()(request, res, undefined as never);
  });
  const started = performance.now();
  const vectors = await limited.embed(['one', 'two']);
  const waited = performance.now() - started;
  assert.equal(vectors.length, 2);
  assert.equal(requestsOf('retry-after').length, 2);
  assert.ok(waited >= 950 && waited < 5000, `waited ${waited} ms for Retry-After: 1`);

  let fast = 0;
  const quick = client('retry-after-ms', (request, res) => {
    if (fast++ < 2) return sendJson(res, fast === 1 ? 429 : 503, { error: 'busy' }, fast === 1 ? { 'retry-after-ms': '30' } : {});
    return reversed()(request, res, undefined as never);
  }, { retryBaseDelayMs: 20 });
  assert.equal((await quick.embed(['x'])).length, 1);
  assert.equal(requestsOf('retry-after-ms').length, 3);
});

test('a Retry-After beyond maxRetryDelayMs fails at once; retries run out with the count; 400 is not retried', async () => {
  const far = client('far', (_request, res) => sendJson(res, 429, { error: { message: 'quota exceeded' } }, { 'Retry-After': '3600' }), { maxRetryDelayMs: 5000 });
  await assert.rejects(far.embed(['x']), (e: unknown) => {
    assert.ok(e instanceof RemoteError);
    assert.equal(e.status, 429);
    assert.equal(e.retryAfterMs, 3_600_000);
    assert.match(e.message, /^POST http:\/\/127.0.0.1:\d+\/v1\/embeddings: HTTP 429 Too Many Requests: quota exceeded\. .*The server asks to retry after 3600.0 s, longer than the 5000 ms allowed \(maxRetryDelayMs\)\.$/);
    return true;
  });
  assert.equal(requestsOf('far').length, 1);

  const down = client('down', (_request, res) => sendJson(res, 502, { error: { message: `upstream down, key=${KEY}` } }), { maxRetries: 2 });
  await assert.rejects(down.embed(['x']), (e: unknown) => e instanceof RemoteError && /HTTP 502 Bad Gateway: upstream down, key=\*\*\*.*Gave up after 2 retries\.$/.test(e.message) && !e.message.includes(KEY));
  assert.equal(requestsOf('down').length, 3);

  const bad = client('bad-request', (_request, res) => sendJson(res, 400, { object: 'error', message: 'input too long', type: 'BadRequestError' }));
  await assert.rejects(bad.embed(['x']), /HTTP 400 Bad Request: input too long \(BadRequestError\)\. The server refused the request\.$/);
  assert.equal(requestsOf('bad-request').length, 1);
});

test('a vector length that changes between calls is an error naming the endpoint and the model; so is a given length', async () => {
  let dimension = 4;
  const changing = client('dimension', (request, res) => reversed(dimension)(request, res, undefined as never));
  await changing.embed(['a', 'b']);
  dimension = 8;
  await assert.rejects(changing.embed(['c']), (e: unknown) => {
    assert.ok(e instanceof RemoteError);
    assert.equal(e.failure, 'dimension');
    assert.equal(e.message, `POST ${server.url}/v1/embeddings: model "embed-model" returned vectors of 8 dimensions where 4 were expected; the model behind the endpoint changed, and vectors of both lengths cannot share an index`);
    return true;
  });
  const given = client('given-dimension', reversed(4), {}, 384);
  await assert.rejects(given.embed(['a']), /returned vectors of 4 dimensions where 384 were expected/);
});

test('dimensions is sent and expected: honoured it gives that length, ignored it is a dimension error saying so', async () => {
  const honoured = new OpenAiEmbeddingClient({ baseUrl: server.url, embeddingModel: 'embed-model', headers: { 'X-Scenario': 'dimensions' } }, { dimensions: 6 });
  scenarios.set('dimensions', (request, res) => reversed(Number(request.body?.dimensions ?? 4))(request, res, undefined as never));
  assert.equal(honoured.dimension, 6);
  assert.equal((await honoured.embed(['a']))[0].length, 6);
  assert.equal(requestsOf('dimensions')[0].body?.dimensions, 6);
  const ignored = client('dimensions-ignored', reversed(4));
  const asking = new OpenAiEmbeddingClient(ignored.settings, { dimensions: 2 });
  await assert.rejects(asking.embed(['a']), (e: unknown) => e instanceof RemoteError && e.failure === 'dimension' &&
    e.message === `POST ${server.url}/v1/embeddings: model "embed-model" returned vectors of 4 dimensions where 2 were asked for; the server or the model ignores the "dimensions" parameter`);
  assert.throws(() => new OpenAiEmbeddingClient(ignored.settings, { dimensions: 0 }), /Invalid embedding dimensions: 0. Should be an integer >= 1/);
  assert.throws(() => new OpenAiEmbeddingClient(ignored.settings, { dimensions: 8, dimension: 4 }), /dimensions 8 asked for, but 4 expected/);
});

test('malformed answers are protocol errors: wrong count, mixed lengths, bad or repeated index, not JSON', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['count', { data: [{ index: 0, embedding: [1, 2] }] }, /the embeddings response has 1 embeddings for 2 inputs/],
    ['mixed', { data: [{ index: 0, embedding: [1, 2] }, { index: 1, embedding: [1, 2, 3] }] }, /mixes vector lengths: input 0 has 2 dimensions, input 1 has 3/],
    ['index', { data: [{ index: 0, embedding: [1] }, { index: 5, embedding: [1] }] }, /item 1 has index 5, not an integer from 0 to 1/],
    ['twice', { data: [{ index: 1, embedding: [1] }, { index: 1, embedding: [1] }] }, /has index 1 twice/],
    ['strings', { data: [{ index: 0, embedding: [1] }, { index: 1, embedding: ['1'] }] }, /item 1: its embedding has a non-number at position 0/],
    ['no-data', { object: 'list' }, /has no "data" list/],
  ];
  for (const [scenario, body, pattern] of cases) {
    const embeddings = client(`bad-${scenario}`, (_request, res) => sendJson(res, 200, body));
    await assert.rejects(embeddings.embed(['a', 'b']), (e: unknown) => e instanceof RemoteError && e.failure === 'protocol' && pattern.test(e.message));
  }
  const html = client('html', (_request, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html>proxy login</html>');
  });
  await assert.rejects(html.embed(['a']), /the response is not JSON: "<html>proxy login<\/html>"/);
  const positional = client('positional', (request, res) => sendJson(res, 200, { data: (request.body?.input as string[]).map((t) => ({ embedding: vectorOf(t) })) }));
  assert.deepEqual(Array.from((await positional.embed(['a', 'bc']))[1]), vectorOf('bc'));
});

test('cancellation during a retry wait rejects with CancelledError and sends no more requests', async () => {
  const busy = client('cancel', (_request, res) => sendJson(res, 503, { error: 'loading model' }, { 'Retry-After': '10' }), { maxRetryDelayMs: 20_000 });
  const controller = new AbortController();
  const pending = busy.embed(['x'], controller.signal);
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(pending, CancelledError);
  assert.equal(requestsOf('cancel').length, 1);
});
