// Indexing in a worker thread through IndexerHost: progress events arrive, pause holds the run
// (no file is finished while paused) and resume lets it finish, cancel ends a run with
// `cancelled: true`, a bad request is refused before the worker sees it, and the same host then
// runs the next job with its embedder and parsers warm.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { IndexerHost } from '../../../../core/rag/index/node/IndexerHost.js';
import type { IndexProgress } from '../../../../core/rag/index/common/progress.js';
import { tempFolder, writeTree } from '../ingest/support/tempTree.js';
import { sourceTree } from './indexSupport.js';

const folders: { remove(): void }[] = [];
after(() => folders.forEach((f) => f.remove()));

test('progress, pause and resume, cancel, a refused request, and a second job on the same host', async () => {
  const tree = tempFolder('pinpoint-host-tree-');
  const db = tempFolder('pinpoint-host-db-');
  folders.push(tree, db);
  writeTree(tree.path, sourceTree(100));
  const host = new IndexerHost();
  try {
    assert.throws(() => host.run({ roots: [], dbDir: db.path, corpus: 'c', embedder: 'static:glove100d' }), /"roots" should be a non-empty list/);

    const events: IndexProgress[] = [];
    let paused = false;
    let doneWhenPaused = -1;
    const job = host.run({ roots: [tree.path], dbDir: db.path, corpus: 'c', embedder: 'static:glove100d' }, (p) => {
      events.push(p);
      if (!paused && p.phase === 'indexing' && p.filesDone >= 10) {
        paused = true;
        job.pause();
        setTimeout(() => {
          doneWhenPaused = events.at(-1)!.filesDone;
          setTimeout(() => {
            assert.ok(events.at(-1)!.filesDone <= doneWhenPaused + 1, 'at most the file in hand finishes while paused');
            job.resume();
          }, 500);
        }, 300);
      }
    });
    const report = await job.done;
    assert.equal(report.cancelled, false);
    assert.equal(report.filesIndexed, 202);
    assert.ok(doneWhenPaused > 0, 'the run was paused mid-way');
    assert.deepEqual([...new Set(events.map((e) => e.phase))], ['scanning', 'indexing', 'removing', 'maintaining', 'done']);
    assert.ok(events.some((e) => e.phase === 'indexing' && e.bytesTotal > 0 && e.filesTotal === 202));

    writeTree(tree.path, sourceTree(600)); // 1,000 new files: far more than get done before the cancel lands
    const second = host.run({ roots: [tree.path], dbDir: db.path, corpus: 'c', embedder: 'static:glove100d' }, (p) => {
      if (p.phase === 'indexing') second.cancel();
    });
    const cancelled = await second.done;
    assert.equal(cancelled.cancelled, true);
    assert.ok(cancelled.filesIndexed < 1000, `${cancelled.filesIndexed} indexed before the cancel`);
  } finally {
    await host.dispose();
  }
});
