// Ingestion end to end: a folder of good files and every kind of bad input from the issue
// (binary, invalid UTF-8, 200 MB, malformed / 0-page / encrypted PDF, DOCX zip bomb, symlink loop,
// unreadable file): documents for the good ones, a skip with a reason for each bad one, in order.

import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CancelledError } from '../../../../../core/base/common/errors.js';
import { ingestRoots, type IngestedFile } from '../../../../../core/rag/ingest/node/ingestRoots.js';
import { ParserPool } from '../../../../../core/rag/ingest/node/ParserPool.js';
import { nodeFileSystem } from '../../../../../core/rag/ingest/node/walkFileSystem.js';
import type { SkippedFile } from '../../../../../core/rag/ingest/common/skips.js';
import { makeDocx, makeDocxBomb } from '../support/docxBytes.js';
import { makePdf } from '../support/pdfBytes.js';
import { tempFolder, writeTree } from '../support/tempTree.js';

const folder = tempFolder();
after(folder.remove);
const root = folder.path;

writeTree(root, {
  'README.md': '# Pinpoint\n\nIntro.\n\n## Use\nAsk.\n',
  'src/main.ts': 'export const a = 1;\n',
  'page.html': '<h1>Title</h1><p>Body</p>',
  'nb.ipynb': JSON.stringify({ metadata: { kernelspec: { language: 'python' } }, cells: [{ cell_type: 'code', source: 'print(1)' }] }),
  'paper.pdf': makePdf({ pages: [['first page'], ['second page']] }),
  'report.docx': makeDocx([{ text: 'Summary', heading: 1 }, { text: 'All good.' }]),
  'latin1.txt': new Uint8Array(Buffer.from('Cr\xe8me br\xfbl\xe9e', 'latin1')),
  'utf16.txt': new Uint8Array([0xff, 0xfe, ...Buffer.from('wide text', 'utf16le')]),
  // Bad input.
  'bad/binary.dat': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]),
  'bad/not-utf8.txt': new Uint8Array(Array.from({ length: 3000 }, (_, i) => 0x80 + ((i * 7919) % 127))),
  'bad/malformed.pdf': '%PDF-1.4\nthis is not a PDF body\n',
  'bad/empty.pdf': makePdf({ pages: [] }),
  'bad/encrypted.pdf': makePdf({ pages: [['secret']], encrypted: true }),
  'bad/bomb.docx': makeDocxBomb(24 * 1024 * 1024),
  'bad/loop': { link: '..' },
  'bad/locked.md': '# cannot be read',
  'bad/broken.ipynb': '{"cells": [',
});
writeFileSync(join(root, 'bad/huge.log'), '');
truncateSync(join(root, 'bad/huge.log'), 200 * 1024 * 1024);

/** Reading locked.md fails, as it would for a file without read permission (tests may run as root). */
const fileSystem = {
  ...nodeFileSystem,
  readFile: (path: string, maxBytes: number) =>
    path.endsWith('locked.md') ? Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })) : nodeFileSystem.readFile(path, maxBytes),
};

test('good files become documents; each bad input is a skip with its reason; the run goes on', async () => {
  const items: (IngestedFile | SkippedFile)[] = [];
  for await (const item of ingestRoots([root], { fileSystem, parser: { maxExpandedBytes: 4 * 1024 * 1024 } })) items.push(item);
  const summary = items.map((i) => (i.type === 'document' ? `${i.entry.path}: ${i.document.kind}` : `${i.path}: skip ${i.reason}`));
  assert.deepEqual(summary, [
    'README.md: markdown',
    'latin1.txt: text',
    'nb.ipynb: notebook',
    'page.html: html',
    'paper.pdf: pdf',
    'report.docx: docx',
    'utf16.txt: text',
    'bad/binary.dat: skip binary',
    'bad/bomb.docx: skip zip-bomb',
    'bad/broken.ipynb: skip malformed',
    'bad/empty.pdf: skip no-pages',
    'bad/encrypted.pdf: skip encrypted',
    'bad/huge.log: skip too-large',
    'bad/locked.md: skip unreadable',
    'bad/loop: skip symlink-loop',
    'bad/malformed.pdf: skip malformed',
    'bad/not-utf8.txt: skip binary',
    'src/main.ts: code',
  ]);
  const documents = new Map(items.filter((i): i is IngestedFile => i.type === 'document').map((i) => [i.entry.path, i.document]));
  assert.deepEqual(documents.get('README.md')!.sections.map((s) => [s.heading, s.startLine, s.endLine]), [['Pinpoint', 1, 3], ['Pinpoint > Use', 5, 6]]);
  assert.deepEqual(documents.get('paper.pdf')!.sections.map((s) => [s.page, s.text]), [[1, 'first page'], [2, 'second page']]);
  assert.equal(documents.get('latin1.txt')!.encoding, 'latin1');
  assert.equal(documents.get('latin1.txt')!.sections[0].text, 'Crème brûlée');
  assert.equal(documents.get('utf16.txt')!.encoding, 'utf-16le');
  assert.equal(documents.get('src/main.ts')!.language, 'typescript');
  const skips = items.filter((i): i is SkippedFile => i.type === 'skip');
  for (const skip of skips) assert.ok(skip.message.startsWith(`${skip.path}: `) && skip.message.length > skip.path.length + 5, skip.message);
});

test('stopping early or cancelling ends the parses in flight; a pool passed in stays open', async () => {
  const pool = new ParserPool();
  try {
    for await (const item of ingestRoots([root], { fileSystem, pool })) {
      assert.ok(item);
      break;
    }
    await assert.rejects(async () => {
      for await (const _ of ingestRoots([root], { fileSystem, pool }, AbortSignal.abort())) assert.fail('nothing is yielded');
    }, CancelledError);
    const after = await pool.parse({ path: 'a.md', kind: 'markdown' }, new TextEncoder().encode('# still open'));
    assert.ok(after.ok);
  } finally {
    await pool.dispose();
  }
});
