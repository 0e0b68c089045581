// index/* through an in-process service: only existing folders are indexed, by their real path;
// the database is never indexed (a root inside it is refused, a root around it leaves it out);
// one job at a time (a second is refused with "limit"); pause, status, resume and cancel act on
// the running job, and a cancelled run does not record its roots.

import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import type { ServiceError } from '../../../core/service/common/errors.js';
import { startInProcessService } from '../../../core/service/node/startService.js';
import { sourceTree } from '../rag/index/indexSupport.js';
import { tempFolder, writeTree } from '../rag/ingest/support/tempTree.js';

const base = tempFolder('pinpoint-index-handlers-');
const project = `${base.path}/project`;
const dbDir = `${project}/.pinpoint-db`;
writeTree(project, sourceTree(2));
writeTree(`${base.path}/big`, sourceTree(300));
mkdirSync(dbDir, { recursive: true });
writeFileSync(`${dbDir}/notes-in-db.txt`, 'must not be indexed\n');
symlinkSync(project, `${base.path}/project-link`);
writeFileSync(`${base.path}/file.txt`, 'a file\n');

const service = startInProcessService({ dbDir });
const { messenger } = service;
after(async () => {
  await service.dispose();
  base.remove();
});

const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: ServiceError) => `${e.code}: ${e.message}`);

test('roots must be existing folders outside the database', async () => {
  assert.match(await code(messenger.request('index/start', { roots: [`${base.path}/missing`] })), /^not-found: Cannot index ".*missing": no such folder/);
  assert.match(await code(messenger.request('index/start', { roots: [`${base.path}/file.txt`] })), /^bad-request: .*not a folder/);
  assert.match(await code(messenger.request('index/start', { roots: [dbDir] })), /^bad-request: .*inside the index database/);
});

test('a symlinked root is indexed by its real path, and the database inside it is left out', async () => {
  const report = await messenger.request('index/start', { roots: [`${base.path}/project-link`] });
  assert.deepEqual(report.roots, [project]);
  assert.equal(report.filesIndexed, 6);
  const { corpora } = await messenger.request('corpora/list', {});
  assert.deepEqual(corpora, [{ name: 'default', roots: [project], embedder: 'static:glove100d' }]);
  const { results } = await messenger.request('search/query', { query: 'must not be indexed', mode: 'bm25' });
  assert.ok(results.every((r) => !r.path.includes('.pinpoint-db')), JSON.stringify(results.map((r) => r.path)));
});

test('one job at a time; pause, status, resume and cancel act on it', async () => {
  assert.deepEqual(await messenger.request('index/status', {}), { running: false });
  assert.deepEqual(await messenger.request('index/pause', {}), { applied: false });
  let paused = false;
  const job = messenger.request('index/start', { roots: [`${base.path}/big`], corpus: 'big' }, {
    onEvent: (event) => {
      if (paused || event.data.phase !== 'indexing') return;
      paused = true;
      void messenger.request('index/pause', { corpus: 'big' });
    },
  });
  for (let i = 0; i < 200 && !paused; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.match(await code(messenger.request('index/start', { roots: [project] })), /^limit: An indexing job is running \(corpus "big"\)/);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const status = await messenger.request('index/status', {});
  assert.equal(status.running, true);
  assert.equal(status.paused, true);
  assert.equal(status.corpus, 'big');
  assert.deepEqual(await messenger.request('index/cancel', { corpus: 'other' }), { applied: false });
  assert.deepEqual(await messenger.request('index/resume', {}), { applied: true });
  assert.deepEqual(await messenger.request('index/cancel', { corpus: 'big' }), { applied: true });
  const report = await job;
  assert.equal(report.cancelled, true);
  assert.ok(report.filesIndexed < 602);
  const { corpora } = await messenger.request('corpora/list', {});
  assert.deepEqual(corpora.map((c) => c.name), ['default']);
});
