// The indexer over real files, LanceDB on disk and the default static embedder: a first run, an
// incremental run after edits, touches, deletes, renames and additions (equal to a clean run of
// the final tree), bad inputs skipped with reasons while indexing goes on, and cancellation.

import assert from 'node:assert/strict';
import { renameSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Embedder } from '../../../../core/rag/common/embedder.js';
import { createEmbedder } from '../../../../core/rag/embed/node/createEmbedder.js';
import { indexRoots } from '../../../../core/rag/index/node/indexRoots.js';
import { makeDocxBomb } from '../ingest/support/docxBytes.js';
import { makePdf } from '../ingest/support/pdfBytes.js';
import { tempFolder, writeTree } from '../ingest/support/tempTree.js';
import { sourceTree, tableSnapshot } from './indexSupport.js';

let embedder: Embedder;
const folders: { remove(): void }[] = [];
const temp = (prefix: string): string => {
  const folder = tempFolder(prefix);
  folders.push(folder);
  return folder.path;
};

before(async () => {
  embedder = await createEmbedder('static:glove100d');
});
after(async () => {
  await embedder.dispose();
  for (const f of folders) f.remove();
});

test('a second run finds everything unchanged; edits, touches, deletes, renames and additions give a clean run\'s table', async () => {
  const root = temp('pinpoint-index-tree-');
  writeTree(root, sourceTree());
  const db = temp('pinpoint-index-db-');
  const first = await indexRoots({ roots: [root], dbDir: db, corpus: 'c', embedder });
  assert.equal(first.filesIndexed, 26);
  assert.ok(first.chunks >= 26);
  const second = await indexRoots({ roots: [root], dbDir: db, corpus: 'c', embedder });
  assert.deepEqual([second.filesIndexed, second.filesUnchanged, second.filesRemoved], [0, 26, 0]);

  writeFileSync(join(root, 'src/module1.ts'), 'export const changed = "a different body";\n');
  const later = new Date(Date.now() + 5000);
  utimesSync(join(root, 'src/module2.ts'), later, later); // touched, same content
  rmSync(join(root, 'py/tool3.py'));
  renameSync(join(root, 'py/tool4.py'), join(root, 'py/renamed4.py'));
  writeFileSync(join(root, 'src/added.ts'), 'export function added(): number {\n  return 42;\n}\n');
  const third = await indexRoots({ roots: [root], dbDir: db, corpus: 'c', embedder });
  assert.deepEqual(
    { indexed: third.filesIndexed, unchanged: third.filesUnchanged, removed: third.filesRemoved },
    { indexed: 3, unchanged: 23, removed: 2 },
  );

  const clean = temp('pinpoint-index-clean-');
  await indexRoots({ roots: [root], dbDir: clean, corpus: 'c', embedder });
  const incremental = await tableSnapshot(db, 'c', embedder);
  assert.deepEqual(incremental, await tableSnapshot(clean, 'c', embedder));
  assert.equal(new Set(incremental).size, incremental.length, 'no duplicate chunk');
});

test('bad inputs are skipped with their reasons while the good files are indexed', async () => {
  const root = temp('pinpoint-index-bad-');
  writeTree(root, {
    'good.md': '# Good\n\nA healthy document.\n',
    'binary.dat': new Uint8Array([0, 1, 2, 3, 0, 0, 255, 254, 0, 7, 0, 0]),
    'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72, 0x0a]), // "café noir" in Latin-1: invalid UTF-8
    'malformed.pdf': '%PDF-1.4\nthis is not a pdf body at all\n',
    'empty.pdf': makePdf({ pages: [] }),
    'locked.pdf': makePdf({ pages: [['secret']], encrypted: true }),
    'bomb.docx': makeDocxBomb(300 * 1024 * 1024, true),
    'loop': { link: '.' },
    'escape': { link: '/etc' },
  });
  writeFileSync(join(root, 'huge.txt'), '');
  truncateSync(join(root, 'huge.txt'), 200 * 1024 * 1024); // a sparse 200 MB file: skipped by size, never read
  const report = await indexRoots({ roots: [root], dbDir: temp('pinpoint-index-bad-db-'), corpus: 'c', embedder });
  const reasons = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
  assert.deepEqual(
    { binary: reasons['binary.dat'], huge: reasons['huge.txt'], malformed: reasons['malformed.pdf'], empty: reasons['empty.pdf'], locked: reasons['locked.pdf'], bomb: reasons['bomb.docx'] },
    { binary: 'binary', huge: 'too-large', malformed: 'malformed', empty: 'no-pages', locked: 'encrypted', bomb: 'zip-bomb' },
  );
  assert.ok(reasons.loop && reasons.escape, `links reported: ${JSON.stringify(reasons)}`);
  assert.equal(report.filesIndexed, 2, 'good.md and the Latin-1 text are indexed');
  for (const s of report.skipped) assert.match(s.message, new RegExp(s.path.replace(/\./g, '\\.')), 'each reason names its file');
});

test('cancelling keeps what was written; the next run completes to a clean run\'s table', async () => {
  const root = temp('pinpoint-index-cancel-');
  writeTree(root, sourceTree(60));
  const db = temp('pinpoint-index-cancel-db-');
  const controller = new AbortController();
  const report = await indexRoots({
    roots: [root], dbDir: db, corpus: 'c', embedder, signal: controller.signal, batchFiles: 5,
    onProgress: (p) => { if (p.filesDone >= 30) controller.abort(); },
  });
  assert.equal(report.cancelled, true);
  assert.ok(report.filesIndexed < 122);
  const resumed = await indexRoots({ roots: [root], dbDir: db, corpus: 'c', embedder });
  assert.ok(resumed.filesUnchanged >= 25, `resume skipped ${resumed.filesUnchanged} files already written`);
  const clean = temp('pinpoint-index-cancel-clean-');
  await indexRoots({ roots: [root], dbDir: clean, corpus: 'c', embedder });
  assert.deepEqual(await tableSnapshot(db, 'c', embedder), await tableSnapshot(clean, 'c', embedder));
});
