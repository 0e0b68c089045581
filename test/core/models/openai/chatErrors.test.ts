// OpenAiChatModel when the server fails: a stream failing midway (an error event, a cut socket,
// invalid JSON, a bad chunk, an early end) gives a typed RemoteError after the earlier deltas,
// with the partial text; HTTP 401/404/429/500 carry the status and the server's message, never
// the API key, and 429/500 are retried first.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ChatHarness, drain, KEY, MESSAGES } from './chatHarness.js';
import { chunk, delay, sendJson, startEvents } from './fakeServer.js';

const h = new ChatHarness();
before(() => h.start());
after(() => h.close());

test('an error event in the middle of the stream: a server error after the earlier deltas, with the partial text', async () => {
  const chat = h.model('error-event', async (_request, res) => {
    startEvents(res);
    res.write(`data: ${chunk('Par')}\n\ndata: ${chunk('tial')}\n\n`);
    await delay(5);
    res.end(`event: error\ndata: {"error":{"message":"CUDA out of memory (key ${KEY})","type":"server_error","code":503}}\n\n`);
  });
  const generation = chat.generate(MESSAGES);
  const { deltas, error } = await drain(generation);
  assert.deepEqual(deltas, ['Par', 'tial']);
  const remote = h.assertRemote(error, 'server', /the server reported an error in the middle of the stream: CUDA out of memory \(key \*\*\*\) \(server_error, 503\)/);
  assert.equal(remote.partialText, 'Partial');
  assert.equal(generation.text, 'Partial');
  await assert.rejects(generation.result(), (e) => e === error);
});

test('the server cuts the socket halfway: a connection error after the earlier deltas', async () => {
  const chat = h.model('cut', async (_request, res) => {
    startEvents(res);
    res.write(`data: ${chunk('Before the cut')}\n\ndata: {"choices":[{"delta":{"content":"ha`);
    await delay(20);
    res.socket?.destroy();
  });
  const { deltas, error } = await drain(chat.generate(MESSAGES));
  assert.deepEqual(deltas, ['Before the cut']);
  const remote = h.assertRemote(error, 'connection', /the server closed the connection in the middle of the response/);
  assert.equal(remote.partialText, 'Before the cut');
});

test('invalid JSON, a non-object event, a bad delta or an early end: protocol errors after the earlier deltas', async () => {
  const later = `data: ${chunk('never seen')}\n\n`;
  const cases: [string, string, RegExp][] = [
    ['bad-json', 'data: {"choices": [\n\n' + later, /the stream has an event that is not JSON: "\{"choices": \["/],
    ['not-object', 'data: 42\n\n' + later, /an event that is not a JSON object: "42"/],
    ['bad-delta', 'data: {"choices":[{"index":0,"delta":{"content":7}}]}\n\n' + later, /a stream chunk's choices\[0\].delta.content is not a string/],
    ['early-end', '', /the stream ended before the completion did \(no finish_reason and no \[DONE\]\)/],
  ];
  for (const [scenario, rest, pattern] of cases) {
    const chat = h.model(scenario, (_request, res) => {
      startEvents(res);
      res.end(`data: ${chunk('ok ')}\n\n${rest}`);
    });
    const { deltas, error } = await drain(chat.generate(MESSAGES));
    assert.deepEqual(deltas, ['ok '], scenario);
    assert.equal(h.assertRemote(error, 'protocol', pattern).partialText, 'ok ', scenario);
  }
});

test('HTTP 401/404/429/500: the status and the server message, never the key; 429 and 500 are retried first', async () => {
  const cases: [number, string, Record<string, unknown> | string, RegExp][] = [
    [401, 'Unauthorized', { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } },
      /HTTP 401 Unauthorized: Incorrect API key provided: \*\*\* \(invalid_request_error, invalid_api_key\). Check the API key.$/],
    [404, 'Not Found', { error: 'model "test-model" not found, try pulling it first' },
      /HTTP 404 Not Found: model "test-model" not found, try pulling it first. Check the server URL and the model name.$/],
    [429, 'Too Many Requests', { error: { message: 'Rate limit reached', type: 'requests' } },
      /HTTP 429 Too Many Requests: Rate limit reached \(requests\). The server is rate limiting; retry later. Gave up after 1 retries.$/],
    [500, 'Internal Server Error', 'Traceback: boom',
      /HTTP 500 Internal Server Error: Traceback: boom. The server failed; see its log. Gave up after 1 retries.$/],
  ];
  for (const [status, , body, pattern] of cases) {
    const scenario = `http-${status}`;
    const chat = h.model(scenario, (_request, res) => {
      if (typeof body === 'string') {
        res.writeHead(status, { 'Content-Type': 'text/plain' });
        res.end(body);
      } else sendJson(res, status, body, { 'Retry-After': '0' });
    }, { maxRetries: 1 });
    const { deltas, error } = await drain(chat.generate(MESSAGES));
    assert.deepEqual(deltas, []);
    assert.equal(h.assertRemote(error, 'http', pattern).status, status);
    const attempts = h.requestsOf(scenario).length;
    assert.equal(attempts, status === 429 || status === 500 ? 2 : 1, `attempts for ${status}`);
  }
});
