// OpenAiChatModel against a local server speaking the chat completions protocol: streamed deltas
// (written in pieces of 1 to 5 bytes, splitting UTF-8 characters and lines) concatenate to the
// server's text; usage, finish_reason, the model and every option travel; a stream ending with a
// finish_reason but no [DONE] is complete; non-streamed answers; bad options fail before sending.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArgumentError } from '../../../../core/base/common/errors.js';
import { OpenAiChatModel } from '../../../../core/models/openai/common/index.js';
import { ChatHarness, drain, KEY, MESSAGES, streamBody, USAGE } from './chatHarness.js';
import { chunk, sendJson, startEvents, writeInPieces } from './fakeServer.js';

const TEXT = 'Hello, wörld! 😀 日本語\nLine two: «ok».';
const DELTAS = ['Hel', 'lo, w', 'ö', 'rld! ', '😀', ' 日本語\n', 'Line two: «ok».'];

const h = new ChatHarness();
before(() => h.start());
after(() => h.close());

test('streamed deltas written in pieces of 1 to 5 bytes concatenate to the text; usage, finish_reason and options travel', async () => {
  const chat = h.model('stream', async (_request, res) => {
    startEvents(res);
    await writeInPieces(res, new TextEncoder().encode(streamBody(DELTAS)), [1, 2, 3, 1, 5]);
    res.end();
  });
  const generation = chat.generate(MESSAGES, {
    temperature: 0.2, topP: 0.9, maxTokens: 64, stop: ['\n\n'], seed: 42, presencePenalty: 0.5, frequencyPenalty: -0.5,
    extraBody: { top_k: 40, model: 'not-this-one' },
  });
  const { deltas, error } = await drain(generation);
  assert.equal(error, undefined);
  assert.equal(deltas.join(''), TEXT);
  const result = await generation.result();
  assert.equal(result.text, TEXT);
  assert.equal(result.finishReason, 'stop');
  assert.deepEqual(result.usage, { promptTokens: 12, completionTokens: 7, totalTokens: 19 });
  assert.equal(result.model, 'test-model');
  const { headersMs, firstDeltaMs, totalMs } = result.timings;
  assert.ok(headersMs !== undefined && firstDeltaMs !== undefined && headersMs <= firstDeltaMs && firstDeltaMs <= totalMs);
  const seen = h.lastRequest('stream');
  assert.equal(seen.path, '/v1/chat/completions');
  assert.equal(seen.headers.authorization, `Bearer ${KEY}`);
  assert.match(String(seen.headers.accept), /text\/event-stream/);
  assert.deepEqual(seen.body, {
    model: 'test-model', messages: MESSAGES, stream: true, stream_options: { include_usage: true }, temperature: 0.2, top_p: 0.9,
    max_tokens: 64, stop: ['\n\n'], seed: 42, presence_penalty: 0.5, frequency_penalty: -0.5, top_k: 40,
  });
});

test('a stream that ends with a finish_reason but no [DONE] is complete; one without usage has none', async () => {
  const chat = h.model('no-done', (_request, res) => {
    startEvents(res);
    res.end(`data: ${chunk('Hi')}\n\ndata: ${chunk(' there', 'length')}\n\n`);
  });
  const result = await chat.generate(MESSAGES, { model: 'other-model' }).result();
  assert.deepEqual([result.text, result.finishReason, result.usage], ['Hi there', 'length', undefined]);
  assert.equal(h.lastRequest('no-done').body?.model, 'other-model');
});

test('non-streamed: one request with stream false, the whole text as one delta; a JSON answer to a stream request works too', async () => {
  const completion = {
    id: 'chatcmpl-2', object: 'chat.completion', model: 'served-model', usage: USAGE,
    choices: [{ index: 0, message: { role: 'assistant', content: TEXT }, finish_reason: 'stop' }],
  };
  const chat = h.model('whole', (_request, res) => sendJson(res, 200, completion), { streamUsage: true });
  const generation = chat.generate(MESSAGES, { stream: false });
  const { deltas } = await drain(generation);
  assert.deepEqual(deltas, [TEXT]);
  const result = await generation.result();
  assert.deepEqual([result.text, result.finishReason, result.model], [TEXT, 'stop', 'served-model']);
  assert.deepEqual(result.usage, { promptTokens: 12, completionTokens: 7, totalTokens: 19 });
  const body = h.lastRequest('whole').body;
  assert.equal(body?.stream, false);
  assert.equal(body?.stream_options, undefined);
  assert.equal((await chat.complete(MESSAGES)).text, TEXT);
  const streamed = await chat.generate(MESSAGES).result();
  assert.equal(streamed.text, TEXT);
});

test('bad options and a missing model are ArgumentErrors before any request', () => {
  const chat = h.model('unused', () => undefined);
  const before = h.server.requests.length;
  assert.throws(() => chat.generate([]), /at least one message/);
  assert.throws(() => chat.generate(MESSAGES, { temperature: -1 }), /Invalid temperature: -1/);
  assert.throws(() => chat.generate(MESSAGES, { topP: 2 }), /Invalid top_p: 2. Should be a number from 0 to 1/);
  assert.throws(() => chat.generate(MESSAGES, { maxTokens: 0.5 }), /Invalid max_tokens/);
  assert.throws(() => chat.generate(MESSAGES, { stop: [''] }), /Invalid stop/);
  assert.throws(() => chat.generate([{ role: 'user', content: 5 as never }]), /Invalid chat message 0/);
  assert.throws(() => new OpenAiChatModel({ baseUrl: h.server.url }), ArgumentError);
  assert.equal(h.server.requests.length, before);
  assert.equal(chat.id, `openai:${h.server.url.slice('http://'.length)}/test-model`);
});
