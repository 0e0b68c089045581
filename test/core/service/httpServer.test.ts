// The HTTP server in front of an in-process service, on an ephemeral port: refusals (token, Host,
// Origin, method, content type, size, malformed JSON, invalid fields, unknown routes, paths out of
// the indexed roots) each with its status and reason, and a good request answered after every one
// of them; index progress as server-sent events; cancellation by disconnect and by
// POST /v1/cancel; a failing handler gets a logged 500; close() ends the streams in flight.

import assert from 'node:assert/strict';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createInProcessMessengers } from '../../../core/service/common/messenger/inProcess.js';
import type { ToService } from '../../../core/service/common/protocol.js';
import { validateRequest } from '../../../core/service/common/validation/validators.js';
import { createToken } from '../../../core/service/node/http/auth.js';
import { startHttpServer, type HttpServer } from '../../../core/service/node/http/httpServer.js';
import { startInProcessService } from '../../../core/service/node/startService.js';
import { sourceTree } from '../rag/index/indexSupport.js';
import { tempFolder, writeTree } from '../rag/ingest/support/tempTree.js';
import { allEvents, openStream, post, type Reply, type Target } from './support/http.js';

const tree = tempFolder('pinpoint-http-tree-');
const big = tempFolder('pinpoint-http-big-');
const db = tempFolder('pinpoint-http-db-');
const cache = tempFolder('pinpoint-http-cache-');
writeTree(tree.path, { ...sourceTree(12), 'secret-link.txt': { link: `${db.path}/outside.txt` } });
writeFileSync(`${db.path}/outside.txt`, 'not yours\n');
writeTree(big.path, sourceTree(600));

const service = startInProcessService({ dbDir: db.path, cacheDir: cache.path });
const logs: string[] = [];
const token = createToken();
let server: HttpServer;
let target: Target;

before(async () => {
  server = await startHttpServer({ messenger: service.messenger, token, keepAliveMs: 20, log: (line) => logs.push(line) });
  target = { port: server.port, token };
});
after(async () => {
  await server.close();
  await service.dispose();
  for (const folder of [tree, big, db, cache]) folder.remove();
});

async function stillUp(): Promise<void> {
  const reply = await post(target, { path: '/v1/system/info', body: {} });
  assert.equal(reply.status, 200, reply.text);
  assert.equal((reply.json as { hostedIn: string }).hostedIn, 'in-process');
}

function assertError(reply: Reply, status: number, code: string, message: RegExp): void {
  assert.equal(reply.status, status, reply.text);
  const { error } = reply.json as { error: { code: string; message: string } };
  assert.equal(error.code, code);
  assert.match(error.message, message);
  assert.equal(reply.headers['access-control-allow-origin'], undefined, 'no CORS header, ever');
}

test('admission: token, Host, Origin and method are checked before anything else', async () => {
  const cases: [Parameters<typeof post>[1], number, RegExp][] = [
    [{ path: '/v1/system/info', headers: { authorization: null } }, 401, /Missing or wrong bearer token/],
    [{ path: '/v1/system/info', headers: { authorization: `Bearer ${token.slice(0, -1)}x` } }, 401, /bearer token/],
    [{ path: '/v1/system/info', headers: { authorization: 'Bearer short' } }, 401, /bearer token/],
    [{ path: '/v1/system/info', headers: { authorization: `Basic ${token}` } }, 401, /bearer token/],
    [{ path: '/v1/system/info', headers: { host: `evil.example:${target.port}` } }, 403, /Host "evil.example:\d+" is refused/],
    [{ path: '/v1/system/info', headers: { host: `127.0.0.1:${target.port + 1}` } }, 403, /is refused/],
    [{ path: '/v1/system/info', headers: { host: null } }, 403, /Host "" is refused/],
    [{ path: '/v1/system/info', headers: { origin: 'http://evil.example' } }, 403, /web pages/],
    [{ path: '/v1/system/info', method: 'GET' }, 405, /use POST/],
    [{ path: '/v1/system/info', method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } }, 405, /use POST/],
  ];
  for (const [call, status, message] of cases) {
    const reply = await post(target, call);
    assertError(reply, status, status === 401 || status === 403 ? 'forbidden' : 'bad-request', message);
    if (status === 401) assert.equal(reply.headers['www-authenticate'], 'Bearer');
    await stillUp();
  }
  assert.equal((await post(target, { path: '/v1/system/info', headers: { host: `LOCALHOST:${target.port}` } })).status, 200);
});

test('bodies and routes: each refusal names its reason, and the server goes on', async () => {
  const cases: [Parameters<typeof post>[1], number, string, RegExp][] = [
    [{ path: '/v1/search/query', body: '{"query": "x",' }, 400, 'bad-request', /Malformed JSON body: .*JSON/],
    [{ path: '/v1/search/query', body: 'query=x', headers: { 'content-type': 'text/plain' } }, 415, 'bad-request', /should be JSON .*"text\/plain"/],
    [{ path: '/v1/search/query', body: { query: 'x'.repeat(2 << 20) } }, 413, 'limit', /limit is 1048576/],
    [{ path: '/v1/search/query', body: { query: 'x', k: 'ten' } }, 400, 'bad-request', /search\/query: "k" should be an integer from 1 to 100; found the string "ten"/],
    [{ path: '/v1/search/query', body: [1, 2] }, 400, 'bad-request', /the request should be an object; found a list of 2/],
    [{ path: '/v1/index/start', body: { roots: ['relative'] } }, 400, 'bad-request', /"roots\[0\]" should be an absolute path/],
    [{ path: '/v1/files/delete', body: {} }, 404, 'not-found', /Unknown request "files\/delete"/],
    [{ path: '/v2/system/info', body: {} }, 404, 'not-found', /No route "\/v2\/system\/info"/],
    [{ path: '/v1/system/info', body: {}, headers: { 'pinpoint-request-id': 'has space' } }, 400, 'bad-request', /pinpoint-request-id header/],
    [{ path: '/v1/search/query', body: { query: 'x', corpus: 'nothing' } }, 404, 'not-found', /No corpus is indexed yet|No corpus "nothing"/],
    [{ path: '/v1/cancel', body: { id: 'nobody' } }, 404, 'not-found', /No request "nobody" is in flight/],
    [{ path: '/v1/cancel', body: { ids: [] } }, 400, 'bad-request', /unknown field "ids"/],
  ];
  for (const [call, status, code, message] of cases) {
    assertError(await post(target, call), status, code, message);
    await stillUp();
  }
});

test('index progress streams as server-sent events, with keep-alive comments', async () => {
  const stream = await openStream(target, { path: '/v1/index/start', body: { roots: [tree.path] } });
  assert.equal(stream.status, 200);
  assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
  assert.match(String(stream.headers['pinpoint-request-id']), /^[0-9a-f-]{36}$/);
  const events = await allEvents(stream);
  const names = events.map((e) => e.event).filter((e) => e !== 'comment');
  assert.equal(names[0], 'start');
  assert.equal(names.at(-1), 'result');
  assert.ok(names.filter((n) => n === 'index/progress').length >= 2, names.join(' '));
  assert.ok(events.some((e) => e.event === 'comment' && e.data === 'keep-alive'), 'a keep-alive comment while indexing');
  const result = events.at(-1)!.data as { filesIndexed: number; cancelled: boolean; roots: string[] };
  assert.equal(result.cancelled, false);
  assert.equal(result.filesIndexed, 26);
  const corpora = (await post(target, { path: '/v1/corpora/list', body: {} })).json as { corpora: { name: string; roots: string[] }[] };
  assert.deepEqual(corpora.corpora.map((c) => [c.name, c.roots]), [['default', [tree.path]]]);
});

test('paths outside the indexed roots are forbidden; inside ones are served', async () => {
  const refusals: [string, unknown, RegExp][] = [
    ['/v1/search/query', { query: 'password', filters: { paths: ['../../etc/passwd'] } }, /climbs out of the root/],
    ['/v1/search/query', { query: 'password', filters: { paths: ['/etc/passwd'] } }, /absolute path/],
    ['/v1/search/query', { query: 'password', filters: { roots: ['/etc'] } }, /"\/etc" is not an indexed root/],
    ['/v1/files/read', { path: '../../etc/passwd' }, /outside the indexed folders/],
    ['/v1/files/read', { path: '/etc/passwd' }, /outside the indexed folders/],
    ['/v1/files/read', { path: `${tree.path}/../${db.path.split('/').at(-1)}/outside.txt` }, /outside the indexed folders/],
    ['/v1/files/read', { path: 'secret-link.txt' }, /leads out of the indexed folders \(a symbolic link\)/],
  ];
  for (const [path, body, message] of refusals) {
    assertError(await post(target, { path, body }), 403, 'forbidden', message);
    await stillUp();
  }
  const read = await post(target, { path: '/v1/files/read', body: { path: 'src/module3.ts', startLine: 3, endLine: 4 } });
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.json, { root: tree.path, path: 'src/module3.ts', startLine: 3, endLine: 4, totalLines: 20, text: 'export interface Record3 {\n  readonly id: number;' });
  const search = await post(target, { path: '/v1/search/query', body: { query: 'sum the totals of records', k: 5, filters: { paths: ['src/**'] } } });
  assert.equal(search.status, 200, search.text);
  const { results } = search.json as { results: { root: string; path: string }[] };
  assert.ok(results.length > 0);
  assert.ok(results.every((r) => r.root === tree.path && r.path.startsWith('src/')), JSON.stringify(results.map((r) => r.path)));

  // An indexed file swapped for a symlink out of the root: its results are dropped, its reads refused.
  const found = await post(target, { path: '/v1/search/query', body: { query: 'release schedule budget', mode: 'bm25' } });
  assert.ok((found.json as { results: { path: string }[] }).results.some((r) => r.path === 'notes.txt'));
  rmSync(`${tree.path}/notes.txt`);
  symlinkSync(`${db.path}/outside.txt`, `${tree.path}/notes.txt`);
  const swapped = await post(target, { path: '/v1/search/query', body: { query: 'release schedule budget', mode: 'bm25' } });
  assert.ok(!(swapped.json as { results: { path: string }[] }).results.some((r) => r.path === 'notes.txt'));
  assertError(await post(target, { path: '/v1/files/read', body: { path: 'notes.txt' } }), 403, 'forbidden', /symbolic link/);
});

/** Waits until the indexer is idle. */
async function indexerIdle(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const status = (await post(target, { path: '/v1/index/status', body: {} })).json as { running: boolean };
    if (!status.running) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail('the indexing job did not stop');
}

test('a client that disconnects cancels its request', async () => {
  const stream = await openStream(target, { path: '/v1/index/start', body: { roots: [big.path], corpus: 'big' } });
  for await (const event of stream.events) {
    if (event.event === 'index/progress' && (event.data as { phase: string }).phase === 'indexing') break;
  }
  stream.hangUp();
  await indexerIdle();
  const corpora = (await post(target, { path: '/v1/corpora/list', body: {} })).json as { corpora: { name: string }[] };
  assert.deepEqual(corpora.corpora.map((c) => c.name), ['default'], 'a cancelled run does not record its corpus');
});

test('POST /v1/cancel cancels a request by the id its client gave', async () => {
  const stream = await openStream(target, { path: '/v1/index/start', body: { roots: [big.path], corpus: 'big' }, headers: { 'pinpoint-request-id': 'job-1' } });
  assert.equal(stream.headers['pinpoint-request-id'], 'job-1');
  const events = [];
  for await (const event of stream.events) {
    events.push(event);
    if (event.event === 'index/progress' && events.filter((e) => e.event === 'index/progress').length === 1) {
      const reply = await post(target, { path: '/v1/cancel', body: { id: 'job-1' } });
      assert.deepEqual(reply.json, { cancelled: true, id: 'job-1' });
    }
  }
  assert.deepEqual(events.at(-1), { event: 'error', data: { code: 'cancelled', message: 'index/start was cancelled' } });
  await indexerIdle();
});

test('a failing handler gets a 500 with its message, is logged, and the server stays up', async () => {
  const { client, service: stub } = createInProcessMessengers<ToService>({ validate: validateRequest });
  let calls = 0;
  stub.on('system/info', () => {
    calls++;
    throw new TypeError('cannot read properties of undefined');
  });
  const lines: string[] = [];
  const broken = await startHttpServer({ messenger: client, token, log: (line) => lines.push(line) });
  try {
    const brokenTarget = { port: broken.port, token };
    for (let i = 0; i < 2; i++) assertError(await post(brokenTarget, { path: '/v1/system/info', body: {} }), 500, 'internal', /cannot read properties of undefined/);
    assert.equal(calls, 2);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /system\/info \(.+\) failed: cannot read properties of undefined/);
  } finally {
    await broken.close();
    client.dispose();
    stub.dispose();
  }
});

test('a port in use is refused with a message that names it', async () => {
  await assert.rejects(startHttpServer({ messenger: service.messenger, token, port: target.port }), (error: Error) => {
    assert.equal(error.name, 'ArgumentError');
    assert.match(error.message, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${target.port}: the port is in use`));
    return true;
  });
  await stillUp();
});

test('close() cancels the streams in flight and stops listening', async () => {
  const stream = await openStream(target, { path: '/v1/index/start', body: { roots: [big.path], corpus: 'big' } });
  const events = [];
  let closing: Promise<void> | undefined;
  for await (const event of stream.events) {
    events.push(event);
    if (event.event === 'index/progress') closing ??= server.close();
  }
  await closing;
  assert.equal(events.at(-1)?.event, 'error');
  assert.equal((events.at(-1)?.data as { code: string }).code, 'cancelled');
  await assert.rejects(post(target, { path: '/v1/system/info', body: {} }), /ECONNREFUSED/);
  // A server for after() to close.
  server = await startHttpServer({ messenger: service.messenger, token });
});
