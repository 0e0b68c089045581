// OpenAiChatModel stopped early: cancellation (mid-stream, before the response) and leaving the
// loop close the request, which the server sees as its socket closing, and give a "cancelled"
// result; first-byte and idle timeouts, with keep-alive comments holding a slow stream open; a
// refused connection.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiChatModel, RemoteError } from '../../../../core/models/openai/common/index.js';
import { ChatHarness, drain, KEY, MESSAGES, streamBody } from './chatHarness.js';
import { chunk, delay, startEvents, startServer, within } from './fakeServer.js';

const h = new ChatHarness();
before(() => h.start());
after(() => h.close());

test('cancellation mid-stream closes the request (the server sees the socket close); the result is "cancelled"', async () => {
  const chat = h.model('cancel', (_request, res) => {
    startEvents(res);
    res.write(`data: ${chunk('First')}\n\n`);
  });
  const controller = new AbortController();
  const generation = chat.generate(MESSAGES, { signal: controller.signal });
  const deltas: string[] = [];
  for await (const delta of generation) {
    deltas.push(delta.text);
    controller.abort();
  }
  await within(h.lastRequest('cancel').clientClosed, 2000, 'the server seeing the socket close');
  const result = await generation.result();
  assert.deepEqual([deltas, result.text, result.finishReason], [['First'], 'First', 'cancelled']);
});

test('cancellation before the response, and leaving the loop early, close the request too', async () => {
  const silent = h.model('cancel-early', () => undefined);
  const controller = new AbortController();
  const waiting = silent.generate(MESSAGES, { signal: controller.signal }).result();
  await within((async () => { while (!h.lastRequest('cancel-early')) await delay(2); })(), 2000, 'the request arriving');
  controller.abort();
  const result = await waiting;
  assert.deepEqual([result.text, result.finishReason, result.timings.headersMs], ['', 'cancelled', undefined]);
  await within(h.lastRequest('cancel-early').clientClosed, 2000, 'the server seeing the socket close');

  const chat = h.model('break', (_request, res) => {
    startEvents(res);
    res.write(`data: ${chunk('One')}\n\ndata: ${chunk('Two')}\n\n`);
  });
  const generation = chat.generate(MESSAGES);
  for await (const delta of generation) if (delta.text === 'One') break;
  await within(h.lastRequest('break').clientClosed, 2000, 'the server seeing the socket close');
  assert.equal((await generation.result()).finishReason, 'cancelled');
});

test('first-byte timeout: no response, or headers and then silence; the socket is closed', async () => {
  const silent = h.model('no-response', () => undefined, { firstByteTimeoutMs: 150 });
  const { error } = await drain(silent.generate(MESSAGES));
  h.assertRemote(error, 'timeout', /no response within 150 ms \(first-byte timeout\)$/);
  await within(h.lastRequest('no-response').clientClosed, 2000, 'the server seeing the socket close');

  const prefill = h.model('headers-only', (_request, res) => startEvents(res), { firstByteTimeoutMs: 150 });
  const started = performance.now();
  const { error: late } = await drain(prefill.generate(MESSAGES));
  h.assertRemote(late, 'timeout', /first-byte timeout/);
  // A hang guard: the 150 ms timeout fired, not the harness's own multi-second limits.
  assert.ok(performance.now() - started < 5000);
});

test('idle timeout between chunks, after the earlier deltas; keep-alive comments hold the stream open', async () => {
  const stalls = h.model('stall', (_request, res) => {
    startEvents(res);
    res.write(`data: ${chunk('Slow')}\n\n`);
  }, { idleTimeoutMs: 150 });
  const { deltas, error } = await drain(stalls.generate(MESSAGES));
  assert.deepEqual(deltas, ['Slow']);
  const remote = h.assertRemote(error, 'timeout', /no data from the server for 150 ms \(idle timeout\) in the middle of the response/);
  assert.equal(remote.partialText, 'Slow');
  await within(h.lastRequest('stall').clientClosed, 2000, 'the server seeing the socket close');

  const pings = h.model('pings', async (_request, res) => {
    startEvents(res);
    for (let i = 0; i < 8; i++) {
      res.write(': ping\n\n');
      await delay(40);
    }
    res.end(streamBody(['Still here']));
  }, { idleTimeoutMs: 150, firstByteTimeoutMs: 150 });
  assert.equal((await pings.generate(MESSAGES).result()).text, 'Still here');
});

test('a refused connection names the endpoint and asks whether the server runs', async () => {
  const closed = await startServer(() => undefined);
  await closed.close();
  const chat = new OpenAiChatModel({ baseUrl: `${closed.url}/v1/`, apiKey: KEY, chatModel: 'm' });
  const { error } = await drain(chat.generate(MESSAGES));
  assert.ok(error instanceof RemoteError);
  assert.equal(error.failure, 'connection');
  assert.equal(error.code, 'ECONNREFUSED');
  assert.equal(error.message, `POST ${closed.url}/v1/chat/completions: connection refused; is the server running?`);
});
