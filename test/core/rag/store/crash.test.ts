// Crash safety of file replacement: a child process replaces one file's rows in a loop and is
// killed with SIGKILL at random moments; after each kill the reopened table holds exactly one
// generation of the file — all its rows, no row of another generation, never none.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ChunkStore } from '../../../../core/rag/store/node/ChunkStore.js';
import { tempDir } from './storeFixtures.js';

const writer = fileURLToPath(new URL('./crashWriter.ts', import.meta.url));

/** Runs the writer until it has committed at least `minCommits` generations plus a random delay, then kills it. */
function runAndKill(dir: string, start: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, String(start)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = start - 1;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      for (const line of text.split('\n')) if (line) last = Number(line);
      if (timer === undefined) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', () => resolve(last));
  });
}

test('SIGKILL during replaceFiles leaves each file with exactly one generation of rows', { timeout: 180_000 }, async () => {
  const { dir, remove } = tempDir('pinpoint-crash-');
  try {
    let start = 0;
    for (let round = 0; round < 6; round++) {
      const delay = 5 + ((round * 37) % 60);
      const lastReported = await runAndKill(dir, start, delay);
      const store = await ChunkStore.open({ dir, corpus: 'crash', embedder: { id: 'test:4', dimension: 4 }, autoMaintain: false });
      assert.equal(store.repair.action, 'none', `round ${round}: the table opens clean`);
      const a = await store.readChunks([{ root: '/project', path: 'a.ts' }]);
      const tags = new Set(a.map((c) => c.contentHash));
      assert.equal(tags.size, 1, `round ${round}: one generation of a.ts, found ${[...tags].join(', ')}`);
      const generation = Number([...tags][0].slice('gen-'.length));
      assert.ok(generation >= lastReported, `round ${round}: generation ${generation} is at least the last reported commit ${lastReported}`);
      assert.equal(a.length, 1 + (generation % 7), `round ${round}: all ${1 + (generation % 7)} chunks of generation ${generation}`);
      assert.deepEqual(a.map((c) => c.ordinal), [...a.keys()], `round ${round}: ordinals 0..n-1 once each`);
      assert.ok(a.every((c) => c.text.includes(`gen-${generation} `)), `round ${round}: texts of that generation only`);
      assert.equal((await store.readChunks([{ root: '/project', path: 'b.ts' }])).length, 2);
      await store.close();
      start = generation + 1;
    }
  } finally {
    remove();
  }
});
