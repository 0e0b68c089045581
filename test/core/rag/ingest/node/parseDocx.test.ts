// DOCX: headings kept as structure through mammoth; zip bombs caught before mammoth inflates
// anything, whatever sizes their headers claim; archives that are not zips are malformed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnparsableFileError, type SkipReason } from '../../../../../core/rag/ingest/common/skips.js';
import { parseFile } from '../../../../../core/rag/ingest/node/parseFile.js';
import { checkZipExpansion, zipEntries } from '../../../../../core/rag/ingest/node/zipExpansion.js';
import { makeDocx, makeDocxBomb, makeZip } from '../support/docxBytes.js';

const target = { path: 'report.docx', kind: 'docx' } as const;

function rejectsWith(reason: SkipReason, pattern: RegExp) {
  return (error: unknown): boolean => error instanceof UnparsableFileError && error.skipReason === reason && pattern.test(error.problem);
}

test('headings become sections with heading paths; lines count paragraphs of the extracted text', async () => {
  const bytes = makeDocx([
    { text: 'Preface text.' },
    { text: 'Introduction', heading: 1 },
    { text: 'Pinpoint reads <docx> & more.' },
    { text: 'Setup', heading: 2 },
    { text: 'Install it.' },
    { text: 'Run it.' },
    { text: 'Appendix', heading: 1 },
  ]);
  const doc = await parseFile(target, bytes);
  assert.equal(doc.kind, 'docx');
  assert.deepEqual(doc.sections, [
    { text: 'Preface text.', startLine: 1, endLine: 1 },
    { text: 'Introduction\nPinpoint reads <docx> & more.', startLine: 2, endLine: 3, heading: 'Introduction' },
    { text: 'Setup\nInstall it.\nRun it.', startLine: 4, endLine: 6, heading: 'Introduction > Setup' },
    { text: 'Appendix', startLine: 7, endLine: 7, heading: 'Appendix' },
  ]);
});

test('a zip bomb (24 MB of XML in a small archive) is skipped before mammoth reads it', async () => {
  const bomb = makeDocxBomb(24 * 1024 * 1024);
  assert.ok(bomb.length < 96 * 1024, `${bomb.length} bytes`);
  await assert.rejects(parseFile(target, bomb, { maxExpandedBytes: 4 * 1024 * 1024 }), rejectsWith('zip-bomb', /expands past 4 MB \(word\/document\.xml/));
});

test('a zip bomb whose headers claim a small size is measured by inflating, not trusted', async () => {
  const liar = makeDocxBomb(24 * 1024 * 1024, true);
  assert.ok(zipEntries(liar).every((e) => e.declaredSize < 8192));
  await assert.rejects(parseFile(target, liar, { maxExpandedBytes: 4 * 1024 * 1024 }), rejectsWith('zip-bomb', /expands past/));
});

test('under the limit the same archive parses', async () => {
  const doc = await parseFile(target, makeDocxBomb(2 * 1024 * 1024), { maxExpandedBytes: 16 * 1024 * 1024 });
  assert.deepEqual(doc.sections.map((s) => s.heading), ['Boom']);
});

test('not a zip, a zip without a document, a corrupt deflate stream: malformed', async () => {
  const notZip = new TextEncoder().encode('PK but not really');
  const noDocument = makeZip([{ name: 'hello.txt', data: new TextEncoder().encode('hi') }]);
  const corrupt = makeDocx([{ text: 'x' }]);
  const documentEntry = zipEntries(corrupt).find((e) => e.name === 'word/document.xml')!;
  corrupt.fill(0xff, documentEntry.offset + 60, documentEntry.offset + 80);
  for (const bytes of [notZip, noDocument, corrupt]) await assert.rejects(parseFile(target, bytes), rejectsWith('malformed', /./));
});

test('only parts the reader uses count towards the limit (media does not)', async () => {
  const zip = makeZip([{ name: 'word/media/big.bin', data: new Uint8Array(4 * 1024 * 1024) }, { name: 'word/document.xml', data: new Uint8Array(100) }]);
  await checkZipExpansion(zip, 1024 * 1024, (name) => name.endsWith('.xml'));
  await assert.rejects(checkZipExpansion(zip, 1024 * 1024, () => true), rejectsWith('zip-bomb', /big\.bin/));
});
