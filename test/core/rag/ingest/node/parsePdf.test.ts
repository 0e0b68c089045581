// PDF: text per page with page numbers and rebuilt lines; malformed, 0-page and encrypted PDFs
// end in skips with their reason. (Parsed in-process here; ParserPool.test.ts runs them isolated.)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnparsableFileError, type SkipReason } from '../../../../../core/rag/ingest/common/skips.js';
import { parseFile } from '../../../../../core/rag/ingest/node/parseFile.js';
import { pageLines } from '../../../../../core/rag/ingest/node/parsePdf.js';
import { makePdf } from '../support/pdfBytes.js';

const target = { path: 'docs/paper.pdf', kind: 'pdf' } as const;

function rejectsWith(reason: SkipReason, pattern: RegExp) {
  return (error: unknown): boolean => error instanceof UnparsableFileError && error.skipReason === reason && pattern.test(error.problem);
}

test('a three-page PDF: one section per page with text, page numbers and line ranges', async () => {
  const bytes = makePdf({ pages: [['Hello world', 'second line (with parens)'], [], ['Third page', 'a', 'b']] });
  const doc = await parseFile(target, bytes);
  assert.equal(doc.kind, 'pdf');
  assert.equal(doc.path, 'docs/paper.pdf');
  assert.deepEqual(doc.sections, [
    { text: 'Hello world\nsecond line (with parens)', startLine: 1, endLine: 2, page: 1 },
    { text: 'Third page\na\nb', startLine: 1, endLine: 3, page: 3 },
  ]);
});

test('malformed PDFs: garbage after the header, a truncated file, an empty file', async () => {
  const good = makePdf({ pages: [['x']] });
  const cases = [new TextEncoder().encode('%PDF-1.7\nnot really a pdf\n'), good.subarray(0, 120), new Uint8Array(0)];
  for (const bytes of cases) await assert.rejects(parseFile(target, bytes), rejectsWith('malformed', /malformed PDF/));
});

test('a PDF with no pages is skipped with reason "no-pages"', async () => {
  await assert.rejects(parseFile(target, makePdf({ pages: [] })), rejectsWith('no-pages', /no pages/));
});

test('a PDF with an /Encrypt dictionary that needs a password is skipped with reason "encrypted"', async () => {
  await assert.rejects(parseFile(target, makePdf({ pages: [['secret']], encrypted: true })), rejectsWith('encrypted', /password/));
});

test('lines from item positions: same baseline joins with a space, a wide gap adds a blank line', () => {
  const item = (str: string, x: number, y: number, width: number, hasEOL = false) => ({ str, transform: [10, 0, 0, 10, x, y], width, height: 10, hasEOL });
  assert.deepEqual(pageLines([item('Hello', 72, 700, 25), item('world', 100, 700, 25), item('next', 72, 688, 20), item('far', 72, 600, 15)]), [
    'Hello world',
    'next',
    '',
    'far',
  ]);
  assert.deepEqual(pageLines([item('ab', 72, 700, 10), item('cd', 82, 700, 10)]), ['abcd']);
  assert.deepEqual(pageLines([item('one', 72, 700, 10, true), item('', 0, 0, 0, true), item('two', 200, 700, 10)]), ['one', 'two']);
});
