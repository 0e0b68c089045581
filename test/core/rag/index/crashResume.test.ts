// Crash safety of indexing: the `pinpoint index` process is killed with SIGKILL at random points
// 20 times during one indexing job, restarted each time; once a run completes, the table equals
// a clean run's (the same chunks, no duplicate, none missing).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createEmbedder } from '../../../../core/rag/embed/node/createEmbedder.js';
import { indexRoots } from '../../../../core/rag/index/node/indexRoots.js';
import { tempFolder, writeTree } from '../ingest/support/tempTree.js';
import { seededRandom } from '../../../support/seededRandom.js';
import { sourceTree, tableSnapshot } from './indexSupport.js';

const CLI = fileURLToPath(new URL('../../../../core/dist/cli.js', import.meta.url));
const folders: { remove(): void }[] = [];
after(() => folders.forEach((f) => f.remove()));

/** Runs `pinpoint index`; kills it with SIGKILL after `killAfterMs` unless it ends first. */
function runIndex(root: string, db: string, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [CLI, 'index', root, '--db', db, '--corpus', 'c', '--json'], { stdio: 'ignore' });
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal });
  }));
}

test('20 SIGKILLs during one indexing job, restarted each time: the final table equals a clean run\'s', { timeout: 600_000 }, async () => {
  const tree = tempFolder('pinpoint-crash-tree-');
  const db = tempFolder('pinpoint-crash-db-');
  const clean = tempFolder('pinpoint-crash-clean-');
  folders.push(tree, db, clean);
  writeTree(tree.path, sourceTree(800)); // 1,602 files: more than 20 short runs can finish
  const full = await runIndex(tree.path, clean.path);
  assert.equal(full.code, 0, 'a clean run completes');

  const random = seededRandom(20);
  let killed = 0;
  for (let round = 0; round < 20; round++) {
    // From process start to well into indexing: each round gets a little further, none finishes.
    const result = await runIndex(tree.path, db.path, 300 + random.int(1500));
    if (result.signal === 'SIGKILL') killed++;
  }
  const last = await runIndex(tree.path, db.path);
  assert.equal(last.code, 0, 'the run after the crashes completes');
  assert.ok(killed >= 18, `${killed} of 20 runs were killed mid-way (the others finished first)`);

  const embedder = await createEmbedder('static:glove100d');
  try {
    const crashed = await tableSnapshot(db.path, 'c', embedder);
    assert.equal(new Set(crashed).size, crashed.length, 'no duplicate chunk');
    assert.deepEqual(crashed, await tableSnapshot(clean.path, 'c', embedder));
    // And one more run finds nothing left to do.
    const again = await indexRoots({ roots: [tree.path], dbDir: db.path, corpus: 'c', embedder });
    assert.deepEqual([again.filesIndexed, again.filesRemoved], [0, 0]);
  } finally {
    await embedder.dispose();
  }
});
