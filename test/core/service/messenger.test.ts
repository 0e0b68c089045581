// The messenger over an in-process transport pair: streamed events arrive in order before the
// result, a cancel (AbortSignal or by id) rejects at once and fires the handler's signal, errors
// keep their codes (ExpectedError reasons, ServiceError codes, "internal" for bugs, which also go
// to onError), malformed envelopes are dropped and reported, and a closed end rejects what is in
// flight.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgumentError, ExpectedError, ErrorReason } from '../../../core/base/common/errors.js';
import { ServiceError, errorCodeOf } from '../../../core/service/common/errors.js';
import { createInProcessMessengers, createTransportPair } from '../../../core/service/common/messenger/inProcess.js';
import { Messenger } from '../../../core/service/common/messenger/Messenger.js';
import type { NoRequests } from '../../../core/service/common/protocol.js';

type Progress = { readonly type: 'tick'; readonly data: { readonly n: number } };
type TestProtocol = {
  'test/count': [{ readonly to: number }, { readonly total: number }, Progress];
  'test/wait': [Record<string, never>, string, never];
  'test/fail': [{ readonly how: string }, never, never];
};

function pair() {
  return createInProcessMessengers<TestProtocol>();
}

test('events stream in order before the result', async () => {
  const { client, service } = pair();
  service.on('test/count', async ({ to }, { emit }) => {
    for (let n = 1; n <= to; n++) emit({ type: 'tick', data: { n } });
    return { total: to };
  });
  const seen: number[] = [];
  const result = await client.request('test/count', { to: 5 }, { onEvent: (e) => seen.push(e.data.n) });
  assert.deepEqual(result, { total: 5 });
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
});

test('cancel by signal or by id: the caller rejects with "cancelled" and the handler sees its signal fire', async () => {
  const { client, service } = pair();
  const aborted: string[] = [];
  service.on('test/wait', (_data, { id, signal }) => new Promise((resolve) => signal.addEventListener('abort', () => (aborted.push(id), resolve('late')))));
  const controller = new AbortController();
  const first = client.request('test/wait', {}, { signal: controller.signal, id: 'one' });
  setTimeout(() => controller.abort(), 5);
  await assert.rejects(first, (e: ServiceError) => e.code === 'cancelled' && /test\/wait was cancelled/.test(e.message));
  const second = client.request('test/wait', {}, { id: 'two' });
  setTimeout(() => assert.equal(client.cancel('two'), true), 5);
  await assert.rejects(second, (e: ServiceError) => e.code === 'cancelled');
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(aborted, ['one', 'two']);
  assert.equal(client.cancel('nothing'), false);
});

test('errors keep their codes; a bug is "internal" and goes to onError too', async () => {
  const { client, service } = pair();
  const reported: Error[] = [];
  service.onError((e) => reported.push(e));
  service.on('test/fail', ({ how }) => {
    if (how === 'argument') throw new ArgumentError('bad k');
    if (how === 'network') throw new ExpectedError(ErrorReason.Network, 'connection refused');
    if (how === 'forbidden') throw new ServiceError('forbidden', '/etc is outside');
    throw new TypeError('x is undefined');
  });
  const codeOf = (how: string) => client.request('test/fail', { how }).then(() => 'resolved', (e: ServiceError) => `${e.code}: ${e.message}`);
  assert.equal(await codeOf('argument'), 'bad-request: bad k');
  assert.equal(await codeOf('network'), 'network: connection refused');
  assert.equal(await codeOf('forbidden'), 'forbidden: /etc is outside');
  assert.equal(await codeOf('bug'), 'internal: x is undefined');
  assert.deepEqual(reported.map((e) => e.message), ['x is undefined']);
  assert.equal(errorCodeOf(new Error('plain')), 'internal');
});

test('a request with no handler is not-found; send() reports its failure to onError', async () => {
  const { client } = pair();
  await assert.rejects(client.request('test/wait', {}), (e: ServiceError) => e.code === 'not-found' && /does not answer "test\/wait"/.test(e.message));
  const failures: Error[] = [];
  client.onError((e) => failures.push(e));
  const id = client.send('test/wait', {});
  assert.match(id, /^c\d+$/);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal((failures[0] as ServiceError).code, 'not-found');
});

test('malformed envelopes are dropped and reported; the messenger goes on', async () => {
  const [raw, end] = createTransportPair();
  const service = new Messenger<TestProtocol, NoRequests>(end);
  const reported: Error[] = [];
  service.onError((e) => reported.push(e));
  service.on('test/count', ({ to }) => ({ total: to }));
  const replies: unknown[] = [];
  raw.onMessage((m) => replies.push(m));
  raw.post({ kind: 'nonsense', id: 'x' } as never);
  raw.post({ kind: 'request', id: '', type: 'test/count', data: {} } as never);
  raw.post({ kind: 'request', id: 'ok', type: 'test/count', data: { to: 2 } });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(reported.length, 2);
  assert.match(reported[0].message, /malformed message dropped/);
  assert.deepEqual(replies, [{ kind: 'result', id: 'ok', data: { total: 2 } }]);
});

test('when the other end closes, requests in flight reject and running handlers are aborted', async () => {
  const { client, service } = pair();
  let handlerAborted = false;
  service.on('test/wait', (_d, { signal }) => new Promise((resolve) => signal.addEventListener('abort', () => ((handlerAborted = true), resolve('x')))));
  const pending = client.request('test/wait', {});
  await new Promise((resolve) => setTimeout(resolve, 5));
  service.dispose();
  await assert.rejects(pending, (e: ServiceError) => e.code === 'internal' && /stopped before answering test\/wait/.test(e.message));
  assert.equal(handlerAborted, true);
  await assert.rejects(client.request('test/wait', {}), /closed/);
});

test('data that cannot cross (a function) rejects the request instead of losing it', async () => {
  const { client, service } = pair();
  service.on('test/count', ({ to }) => ({ total: to }));
  await assert.rejects(client.request('test/count', { to: 1, callback: () => 1 } as never), (e: ServiceError) => e.code === 'bad-request' && /test\/count could not be sent/.test(e.message));
  assert.deepEqual(await client.request('test/count', { to: 2 }), { total: 2 });
});
