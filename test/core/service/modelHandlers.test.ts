// models/* through the service, with a temporary cache and a catalog served from 127.0.0.1:
// list shows the catalog, pull streams progress as server-sent events over HTTP and installs the
// model, a pull whose client hangs up stops (the partial file stays for a resume), import brings
// in stories260K, remove deletes it, and unknown ids get not-found / bad-request.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ServiceError } from '../../../core/service/common/errors.js';
import { createToken } from '../../../core/service/node/http/auth.js';
import { startHttpServer, type HttpServer } from '../../../core/service/node/http/httpServer.js';
import { startInProcessService } from '../../../core/service/node/startService.js';
import { fixture, serveBytes, sha256Of, startServer, type TestServer } from '../models/support/fixtureServer.js';
import { allEvents, openStream, type Target } from './support/http.js';

const MODEL = new URL('../../../../shared/data/llm/stories260K.gguf', import.meta.url).pathname;
const GGUF = fixture(48 * 1024).body;
GGUF.write('GGUF', 0, 'latin1');
GGUF.writeUInt32LE(3, 4);

let dir: string;
let files: TestServer;
let service: ReturnType<typeof startInProcessService>;
let http: HttpServer;
let target: Target;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pinpoint-service-models-'));
  files = await startServer((req, res) => {
    if (req.url === '/tiny.gguf') serveBytes(req, res, GGUF, { chunkSize: 1024, chunkDelayMs: 8 });
    else if (req.url === '/stall.gguf') serveBytes(req, res, GGUF, { stallAfter: 4096 });
    else res.writeHead(404).end();
  });
  const memory = { contextTokens: 4096, weightsBytes: GGUF.length, kvCacheBytes: 1000, ramBytes: GGUF.length + 2000 };
  const model = (id: string, url: string) => ({
    id, displayName: id, kind: 'chat', format: 'gguf', license: 'mit',
    files: [{ path: `${id}.gguf`, url: `${files.origin}${url}`, size: GGUF.length, sha256: sha256Of(GGUF) }], sizeBytes: GGUF.length, memory,
  });
  await writeFile(join(dir, 'catalog.json'), JSON.stringify({ schemaVersion: 1, models: [model('tiny', '/tiny.gguf'), model('stall', '/stall.gguf')] }));
  process.env.PINPOINT_MODEL_CATALOG = join(dir, 'catalog.json');
  process.env.NO_PROXY = '127.0.0.1';
  service = startInProcessService({ dbDir: join(dir, 'db'), cacheDir: join(dir, 'cache') });
  const token = createToken();
  http = await startHttpServer({ messenger: service.messenger, token });
  target = { port: http.port, token };
});
after(async () => {
  await http.close();
  await service.dispose();
  await files.close();
  await rm(dir, { recursive: true, force: true });
});

test('list shows the catalog; pull streams progress and installs; a hung-up pull stops and can resume', async () => {
  const listed = await service.messenger.request('models/list', {});
  assert.equal(listed.modelsFolder, join(dir, 'cache', 'models'));
  assert.deepEqual(listed.available.map((m) => m.id), ['tiny', 'stall']);

  const events = await allEvents(await openStream(target, { path: '/v1/models/pull', body: { id: 'tiny' } }));
  const progress = events.filter((e) => e.event === 'models/progress').map((e) => e.data as { bytes: number; total: number; file: string });
  assert.ok(progress.length >= 2, `${progress.length} progress events`);
  assert.ok(progress.every((p) => p.total === GGUF.length && p.file === 'tiny.gguf'));
  assert.equal(events.at(-1)!.event, 'result');
  assert.deepEqual(events.at(-1)!.data, { id: 'tiny', path: join(dir, 'cache', 'models', 'tiny', 'tiny.gguf'), bytes: GGUF.length, alreadyInstalled: false, unverified: [] });

  const stalled = await openStream(target, { path: '/v1/models/pull', body: { id: 'stall' } });
  for await (const event of stalled.events) if (event.event === 'models/progress' && (event.data as { bytes: number }).bytes >= 4096) break;
  // The pull holds a lock file while it runs; it is gone once the hang-up has stopped the pull.
  const lock = join(dir, 'cache', 'models', 'stall', '.pinpoint-lock');
  assert.ok(existsSync(lock), 'the stalled pull is running');
  stalled.hangUp();
  for (let i = 0; i < 100 && existsSync(lock); i++) await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(existsSync(lock), false, 'the pull stopped');
  const { incomplete } = await service.messenger.request('models/list', {});
  assert.deepEqual(incomplete.map((m) => m.id), ['stall'], 'the partial download is kept for a resume');
  assert.ok(incomplete[0].bytes >= 4096);
});

test('import, remove, and the errors of unknown ids', async () => {
  const imported = await service.messenger.request('models/import', { path: MODEL, id: 'stories', copy: true });
  assert.equal(imported.id, 'stories');
  assert.equal(imported.kind, 'chat');
  assert.equal(imported.source, 'import');
  const installed = (await service.messenger.request('models/list', {})).installed.map((m) => m.id);
  assert.deepEqual(installed.sort(), ['stories', 'tiny']);
  const removed = await service.messenger.request('models/remove', { id: 'stories' });
  assert.equal(removed.id, 'stories');
  assert.ok(removed.bytes >= imported.bytes, 'the model file and its manifest are freed');
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: ServiceError) => `${e.code}: ${e.message}`);
  assert.match(await code(service.messenger.request('models/remove', { id: 'stories' })), /^not-found: No model "stories" in the cache\. Installed: stall, tiny\./);
  assert.match(await code(service.messenger.request('models/pull', { id: 'nope' })), /^bad-request: .*nope/);
  assert.match(await code(service.messenger.request('models/import', { path: `${dir}/catalog.json` })), /^(bad-request|model-file): /);
});
