// The service off the caller's thread: in a worker thread it indexes a folder (progress events)
// and answers a question with stories260K (phases in order, sources before the first delta, the
// deltas making the answer, citations and a context within its budget) while the caller's event
// loop keeps ticking; in a child process it answers too; both stop cleanly on dispose.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ServiceEvent } from '../../../core/service/common/protocol.js';
import { createServiceHost } from '../../../core/service/node/createServiceHost.js';
import { sourceTree } from '../rag/index/indexSupport.js';
import { tempFolder, writeTree } from '../rag/ingest/support/tempTree.js';

const MODEL = new URL('../../../../shared/data/llm/stories260K.gguf', import.meta.url).pathname;
const tree = tempFolder('pinpoint-host-tree-');
const db = tempFolder('pinpoint-host-db-');
writeTree(tree.path, sourceTree(2));
after(() => [tree, db].forEach((f) => f.remove()));

/** Measures the caller's event loop: ticks of a 10 ms timer and the longest gap between them. */
function watchEventLoop(): () => { ticks: number; maxGapMs: number } {
  let last = performance.now(), maxGapMs = 0, ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
  }, 10);
  return () => (clearInterval(timer), { ticks, maxGapMs });
}

test('worker host: indexes, then answers with stories260K while the caller keeps ticking', async () => {
  const host = await createServiceHost({ dbDir: db.path });
  try {
    assert.equal((await host.messenger.request('system/info', {})).hostedIn, 'worker');
    const progress: string[] = [];
    const report = await host.messenger.request('index/start', { roots: [tree.path] }, { onEvent: (e) => progress.push(e.data.phase) });
    assert.equal(report.filesIndexed, 6);
    assert.equal(progress.at(-1), 'done');

    const events: ServiceEvent[] = [];
    const stop = watchEventLoop();
    const started = performance.now();
    const result = await host.messenger.request('ask/question', { question: 'How are the totals of records summed?', model: MODEL, maxTokens: 48, temperature: 0 }, { onEvent: (e) => events.push(e) });
    const elapsedMs = performance.now() - started;
    const loop = stop();

    const phases = events.filter((e) => e.type === 'ask/phase').map((e) => e.data.phase);
    assert.deepEqual(phases, ['loading-model', 'retrieving', 'building-context', 'prefill', 'generating']);
    const kinds = events.map((e) => e.type);
    assert.ok(kinds.indexOf('ask/sources') < kinds.indexOf('ask/delta'), 'sources come before the answer');
    assert.equal(kinds.at(-1), 'ask/done');
    const deltas = events.flatMap((e) => (e.type === 'ask/delta' ? [e.data.text] : []));
    assert.equal(deltas.join(''), result.answer);
    assert.ok(result.sources.some((s) => s.path.startsWith('src/module')), 'the code files are among the sources');
    assert.ok(result.sources.every((s) => s.root === tree.path));
    assert.ok(result.context.tokens <= result.context.budget, `${result.context.tokens} tokens within ${result.context.budget}`);
    assert.equal(result.context.reservedForAnswer, 48);
    assert.ok(result.citations.every((c) => c.valid === result.sources.some((s) => s.n === c.n)));

    // The question took the worker a while; the caller's 10 ms timer kept firing meanwhile.
    assert.ok(elapsedMs > 300, `the ask took ${elapsedMs.toFixed(0)} ms`);
    assert.ok(loop.ticks >= elapsedMs / 10 / 4, `${loop.ticks} ticks in ${elapsedMs.toFixed(0)} ms`);
    assert.ok(loop.maxGapMs < 250, `longest gap of the caller's loop: ${loop.maxGapMs.toFixed(0)} ms`);

    const followUp = await host.messenger.request('ask/question', { question: 'And where is it parsed?', model: MODEL, maxTokens: 16, temperature: 0, conversationId: result.conversationId });
    assert.equal(followUp.context.turnsKept, 1, 'the follow-up sees the first turn');
  } finally {
    const stopping = performance.now();
    await host.dispose();
    assert.ok(performance.now() - stopping < 5000, 'a clean stop, not the kill after the timeout');
  }
});

test('child-process host: answers, checks its requests, and stops', async () => {
  const host = await createServiceHost({ dbDir: db.path, isolation: 'child-process' });
  try {
    assert.equal((await host.messenger.request('system/info', {})).hostedIn, 'child-process');
    const { results } = await host.messenger.request('search/query', { query: 'normalize names', k: 3, mode: 'bm25' });
    assert.ok(results.length > 0 && results.every((r) => r.root === tree.path));
    await assert.rejects(host.messenger.request('search/query', { query: 'x', mode: 'semantic' } as never), /"mode" should be one of "bm25", "dense", "hybrid"/);
  } finally {
    await host.dispose();
  }
  await assert.rejects(host.messenger.request('system/info', {}), /closed/);
});
