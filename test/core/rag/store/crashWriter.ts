// Child process of the crash test: replaces the rows of one file again and again, each
// generation with a different number of chunks (generation g has 1 + g % 7 chunks, all tagged
// "gen-g"), printing each generation after its commit, until it is killed.

import { ChunkStore } from '../../../../core/rag/store/node/ChunkStore.js';
import { fileOf } from './storeFixtures.js';

const [dir, startArg] = process.argv.slice(2);
const store = await ChunkStore.open({ dir, corpus: 'crash', embedder: { id: 'test:4', dimension: 4 }, autoMaintain: false });
for (let g = Number(startArg); ; g++) {
  await store.replaceFiles([fileOf('a.ts', 1 + (g % 7), `gen-${g}`), fileOf('b.ts', 2, 'stable')]);
  process.stdout.write(`${g}\n`);
}
