// The watcher: a change in a watched folder (and in a folder created after the watch began)
// calls back after the debounce; a change in an ignored folder does not; aborting stops it.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { watchRoots } from '../../../../core/rag/index/node/watchRoots.js';
import { tempFolder, writeTree } from '../ingest/support/tempTree.js';

/** Resolves when `condition` holds, polling; rejects after `limitMs` (a generous bound, not a timing claim). */
async function until(condition: () => boolean, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('changes are seen (also in new folders), ignored folders are not, and abort stops watching', async () => {
  const tree = tempFolder('pinpoint-watch-');
  const controller = new AbortController();
  let watching: Promise<void> = Promise.resolve();
  try {
    writeTree(tree.path, { 'src/a.ts': 'export const a = 1;\n', 'node_modules/dep/index.js': 'module.exports = 1;\n' });
    let calls = 0;
    watching = watchRoots([tree.path], async () => void calls++, { debounceMs: 50, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the first walk registers the watches
    writeFileSync(join(tree.path, 'src/a.ts'), 'export const a = 2;\n');
    await until(() => calls === 1);
    mkdirSync(join(tree.path, 'src/new'));
    await until(() => calls === 2); // the new folder is an event of src/
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(join(tree.path, 'src/new/b.ts'), 'export const b = 1;\n');
    await until(() => calls === 3); // and is watched after the refresh
    writeFileSync(join(tree.path, 'node_modules/dep/index.js'), 'module.exports = 2;\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(calls, 3, 'no call for a change under node_modules');
  } finally {
    controller.abort(); // a failed step must not leave watches holding the test process open
    await watching;
    tree.remove();
  }
});
