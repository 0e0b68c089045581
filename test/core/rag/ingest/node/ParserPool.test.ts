// Parsers in isolation: a file that hangs, fills the heap, fills memory outside the heap, ends its
// worker or throws ends in a skip, and the next file parses in a fresh (or the same) worker. Real
// PDFs and DOCX go through the real worker, a pdf.js decompression bomb included.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CancelledError } from '../../../../../core/base/common/errors.js';
import { ParserPool, type ParseOutcome, type ParserPoolOptions } from '../../../../../core/rag/ingest/node/ParserPool.js';
import type { ParseTarget } from '../../../../../core/rag/ingest/common/parseText.js';
import { makeDocx, makeDocxBomb } from '../support/docxBytes.js';
import { deflatedFill, makePdf } from '../support/pdfBytes.js';

const HOSTILE = new URL('../support/hostileParserWorker.mjs', import.meta.url);
const pools: ParserPool[] = [];
after(() => Promise.all(pools.map((p) => p.dispose())));

function pool(options: ParserPoolOptions): ParserPool {
  const created = new ParserPool(options);
  pools.push(created);
  return created;
}

const markdown = (path: string): [ParseTarget, Uint8Array] => [{ path, kind: 'markdown' }, new TextEncoder().encode('# Title\nbody\n')];

function skipOf(outcome: ParseOutcome): string {
  return outcome.ok ? 'ok' : outcome.reason;
}

async function assertParsesAfter(parsers: ParserPool): Promise<void> {
  const outcome = await parsers.parse(...markdown('next.md'));
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.equal(outcome.document.sections[0].heading, 'Title');
}

test('a parser that hangs is stopped at the time limit; the next file parses', async () => {
  const parsers = pool({ workerUrl: HOSTILE, timeoutMs: 1000 });
  const started = performance.now();
  const outcome = await parsers.parse(...markdown('hang.md'));
  assert.deepEqual(outcome, { ok: false, reason: 'parse-timeout', problem: 'parser ran past its time limit of 1 s' });
  assert.ok(performance.now() - started < 10_000);
  await assertParsesAfter(parsers);
});

test('a parser that fills the V8 heap is stopped at the heap limit; the next file parses', async () => {
  const parsers = pool({ workerUrl: HOSTILE, heapMb: 32, timeoutMs: 20_000 });
  const outcome = await parsers.parse(...markdown('heap.md'));
  assert.equal(skipOf(outcome), 'memory-limit');
  assert.match((outcome as { problem: string }).problem, /heap limit 32 MB/);
  await assertParsesAfter(parsers);
});

test('a parser that fills memory outside the heap is stopped by the watchdog; the next file parses', async () => {
  const parsers = pool({ workerUrl: HOSTILE, memoryMb: 256, timeoutMs: 20_000 });
  const before = process.memoryUsage.rss();
  const outcome = await parsers.parse(...markdown('buffers.md'));
  assert.equal(skipOf(outcome), 'memory-limit');
  assert.match((outcome as { problem: string }).problem, /grew the process by \d+ MB, limit 256 MB/);
  await assertParsesAfter(parsers);
  assert.ok(process.memoryUsage.rss() - before < 1024 * 1024 * 1024, 'the memory came back');
});

test('a worker that exits, or a parser that throws, ends in "parse-failed"; parsing goes on', async () => {
  const parsers = pool({ workerUrl: HOSTILE });
  assert.deepEqual(await parsers.parse(...markdown('exit.md')), { ok: false, reason: 'parse-failed', problem: 'parser worker exited with code 3' });
  assert.deepEqual(await parsers.parse(...markdown('throw.md')), { ok: false, reason: 'parse-failed', problem: 'parser failed: a bug in a library' });
  await assertParsesAfter(parsers);
});

test('with two workers, a memory hog and an innocent file are retried alone: only the hog is skipped', async () => {
  const parsers = pool({ workerUrl: HOSTILE, workers: 2, memoryMb: 256, timeoutMs: 20_000 });
  const [slow, hog] = await Promise.all([parsers.parse(...markdown('slow.md')), parsers.parse(...markdown('buffers.md'))]);
  assert.equal(skipOf(slow), 'ok');
  assert.equal(skipOf(hog), 'memory-limit');
});

test('memory that grows elsewhere in the process costs a retry, not the file', async () => {
  const parsers = pool({ workerUrl: HOSTILE, memoryMb: 128, timeoutMs: 20_000 });
  await assertParsesAfter(parsers); // the worker is up
  const started = performance.now();
  const parsing = parsers.parse(...markdown('slow.md'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const ballast = Buffer.alloc(300 * 1024 * 1024, 1); // the indexer loading a model, say
  const outcome = await parsing;
  assert.equal(ballast[0], 1);
  assert.equal(skipOf(outcome), 'ok');
  assert.ok(performance.now() - started > 1900, 'stopped once, then run again alone');
});

test('cancelling stops a running parse (CancelledError) and the pool keeps working', async () => {
  const parsers = pool({ workerUrl: HOSTILE, timeoutMs: 30_000 });
  const controller = new AbortController();
  const hanging = parsers.parse(...markdown('hang.md'), controller.signal);
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(hanging, CancelledError);
  await assertParsesAfter(parsers);
});

/** One pool of the real worker for the tests below (a worker and pdf.js take a second or two to load). */
let real: ParserPool | undefined;
const realPool = (): ParserPool => (real ??= pool({ timeoutMs: 2500, maxExpandedBytes: 4 * 1024 * 1024 }));

test('real parsers in the real worker: PDF pages, bad PDFs, DOCX headings, a DOCX zip bomb', async () => {
  const parsers = realPool();
  const pdf = await parsers.parse({ path: 'a.pdf', kind: 'pdf' }, makePdf({ pages: [['page one'], ['page two']] }));
  assert.ok(pdf.ok, JSON.stringify(pdf));
  assert.deepEqual(pdf.document.sections.map((s) => [s.page, s.text]), [[1, 'page one'], [2, 'page two']]);
  const bad = await Promise.all([
    parsers.parse({ path: 'm.pdf', kind: 'pdf' }, new TextEncoder().encode('%PDF-1.4 garbage')),
    parsers.parse({ path: 'z.pdf', kind: 'pdf' }, makePdf({ pages: [] })),
    parsers.parse({ path: 'e.pdf', kind: 'pdf' }, makePdf({ pages: [['x']], encrypted: true })),
    parsers.parse({ path: 'b.docx', kind: 'docx' }, makeDocxBomb(24 * 1024 * 1024)),
  ]);
  assert.deepEqual(bad.map(skipOf), ['malformed', 'no-pages', 'encrypted', 'zip-bomb']);
  const docx = await parsers.parse({ path: 'd.docx', kind: 'docx' }, makeDocx([{ text: 'Title', heading: 1 }, { text: 'body' }]));
  assert.ok(docx.ok, JSON.stringify(docx));
  assert.equal(docx.document.sections[0].heading, 'Title');
});

test('a PDF whose content stream inflates to 400 MB is stopped by a limit; the next PDF parses', async () => {
  const parsers = realPool();
  const bomb = makePdf({ pages: [['x']], deflatedContent: deflatedFill(400 * 1024 * 1024) });
  assert.ok(bomb.length < 1024 * 1024, `${bomb.length} bytes`);
  const outcome = await parsers.parse({ path: 'bomb.pdf', kind: 'pdf' }, bomb);
  assert.ok(['parse-timeout', 'memory-limit'].includes(skipOf(outcome)), JSON.stringify(outcome));
  const next = await parsers.parse({ path: 'next.pdf', kind: 'pdf' }, makePdf({ pages: [['after the bomb']] }));
  assert.ok(next.ok && next.document.sections[0].text === 'after the bomb', JSON.stringify(next));
});
