// Every request type's validator, through an in-process messenger round trip (structured clone,
// envelope checks, the validator on arrival, an echo handler): a good message arrives typed, and
// each bad one is refused with a bad-request error naming the field. The case table must cover
// every type of the protocol.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../../core/service/common/errors.js';
import { createInProcessMessengers } from '../../../core/service/common/messenger/inProcess.js';
import type { RequestType, ToService } from '../../../core/service/common/protocol.js';
import { REQUEST_TYPES, validateRequest } from '../../../core/service/common/validation/validators.js';

interface Case {
  readonly good: readonly unknown[];
  /** Bad data and what the error must say (the field's name, at least). */
  readonly bad: readonly (readonly [unknown, RegExp])[];
}

const CONTROL: Case = { good: [{}, { corpus: 'docs' }], bad: [[{ corpus: '../x' }, /"corpus" should be a corpus name/], [{ corpuz: 'a' }, /unknown field "corpuz"/]] };
const EMPTY: Case = { good: [{}, undefined], bad: [[{ verbose: true }, /unknown field "verbose". It takes no fields/], [[], /should be an object; found a list/]] };

const CASES: Readonly<Record<RequestType, Case>> = {
  'index/start': {
    good: [{ roots: ['/data/docs'] }, { roots: ['/a', 'C:\\b'], corpus: 'c-1', embedder: 'static:glove100d' }],
    bad: [
      [{}, /"roots" should be a list of 1 to 64 strings; found nothing/],
      [{ roots: [] }, /"roots" should be a list of 1 to 64 strings; found a list of 0/],
      [{ roots: ['relative/dir'] }, /"roots\[0\]" should be an absolute path; found the string "relative\/dir"/],
      [{ roots: ['/a', 7] }, /"roots\[1\]" should be a string; found number 7/],
      [{ roots: ['/a'], corpus: '' }, /"corpus" should be 1 to 64 characters long/],
      [{ roots: ['/a'], embedder: 5 }, /"embedder" should be a string/],
      [{ roots: ['/a\u0000b'] }, /"roots\[0\]" should be a string without NUL/],
    ],
  },
  'index/pause': CONTROL,
  'index/resume': CONTROL,
  'index/cancel': CONTROL,
  'index/status': EMPTY,
  'search/query': {
    good: [{ query: 'parse records' }, { query: 'x', corpus: 'docs', k: 100, mode: 'bm25', filters: { paths: ['src/**'], languages: ['typescript'], roots: ['/data'] } }],
    bad: [
      [{ k: 3 }, /"query" should be a string; found nothing/],
      [{ query: '' }, /"query" should be 1 to 2000 characters long; found the string ""/],
      [{ query: 'x', k: 0 }, /"k" should be an integer from 1 to 100; found number 0/],
      [{ query: 'x', k: 2.5 }, /"k" should be an integer/],
      [{ query: 'x', mode: 'fuzzy' }, /"mode" should be one of "bm25", "dense", "hybrid"; found the string "fuzzy"/],
      [{ query: 'x', filters: [] }, /"filters" should be an object/],
      [{ query: 'x', filters: { globs: [] } }, /unknown field "filters.globs"/],
      [{ query: 'x', filters: { paths: 'src' } }, /"filters.paths" should be a list of 0 to 32 strings/],
      [{ query: 'x', filters: { roots: ['data'] } }, /"filters.roots\[0\]" should be an absolute path/],
      [null, /the request should be an object; found null/],
    ],
  },
  'files/read': {
    good: [{ path: 'src/a.ts' }, { path: '/data/a.ts', root: '/data', corpus: 'c', startLine: 2, endLine: 2 }],
    bad: [
      [{}, /"path" should be a string; found nothing/],
      [{ path: 'a', root: 'rel' }, /"root" should be an absolute path/],
      [{ path: 'a', startLine: 0 }, /"startLine" should be an integer from 1/],
      [{ path: 'a', startLine: 5, endLine: 4 }, /"endLine" should be a line at or after "startLine" \(5\); found number 4/],
    ],
  },
  'ask/question': {
    good: [{ question: 'How?', model: 'stories' }, { question: 'q', model: '/m.gguf', corpus: 'c', conversationId: 'conv_1', maxTokens: 64, temperature: 0, k: 5 }],
    bad: [
      [{ model: 'm' }, /"question" should be a string; found nothing/],
      [{ question: 'q' }, /"model" should be a string; found nothing/],
      [{ question: 'x'.repeat(8001), model: 'm' }, /"question" should be 1 to 8000 characters long; found a string of 8001 characters/],
      [{ question: 'q', model: 'm', temperature: 3 }, /"temperature" should be a number from 0 to 2; found number 3/],
      [{ question: 'q', model: 'm', maxTokens: '64' }, /"maxTokens" should be an integer from 1 to 32768; found the string "64"/],
      [{ question: 'q', model: 'm', conversationId: 'a b' }, /"conversationId" should be an id of letters/],
      [{ question: 'q', model: 'm', k: 51 }, /"k" should be an integer from 1 to 50/],
    ],
  },
  'models/list': EMPTY,
  'models/pull': {
    good: [{ id: 'qwen2.5-0.5b-instruct-q4_k_m' }, { id: 'a', force: true }],
    bad: [[{ id: 'Qwen/Qwen2.5' }, /"id" should be a model id/], [{ id: 'a', force: 'yes' }, /"force" should be true or false; found the string "yes"/]],
  },
  'models/import': {
    good: [{ path: '/models/a.gguf' }, { path: '/m', id: 'my-model', kind: 'embedding', copy: true }],
    bad: [
      [{ path: 'a.gguf' }, /"path" should be an absolute path/],
      [{ path: '/a.gguf', kind: 'vision' }, /"kind" should be one of "chat", "embedding"/],
      [{ path: '/a.gguf', id: '../../x' }, /"id" should be a model id/],
    ],
  },
  'models/remove': { good: [{ id: 'a.b_c-1' }], bad: [[{}, /"id" should be a string; found nothing/], [{ id: 'A' }, /"id" should be a model id/]] },
  'corpora/list': EMPTY,
  'system/info': EMPTY,
};

test('the case table covers every request type', () => {
  assert.deepEqual(Object.keys(CASES).sort(), [...REQUEST_TYPES].sort());
});

test('every request type: good messages arrive typed, bad fields are refused naming the field', async () => {
  const { client, service } = createInProcessMessengers<ToService>({ validate: validateRequest });
  for (const type of REQUEST_TYPES) service.on(type, (data: unknown) => ({ echo: data }) as never);
  const send = (type: RequestType, data: unknown) => client.request(type, data as never) as Promise<unknown>;
  try {
    for (const type of REQUEST_TYPES) {
      for (const good of CASES[type].good) {
        const reply = (await send(type, good)) as { echo: Record<string, unknown> };
        for (const [key, value] of Object.entries(good ?? {})) assert.deepEqual(reply.echo[key], value, `${type} keeps ${key}`);
      }
      for (const [bad, message] of CASES[type].bad) {
        await assert.rejects(send(type, bad), (error: ServiceError) => {
          assert.equal(error.code, 'bad-request', `${type} ${JSON.stringify(bad)?.slice(0, 80)}`);
          assert.match(error.message, message);
          assert.ok(error.message.startsWith(`${type}: `), error.message);
          return true;
        });
      }
    }
  } finally {
    client.dispose();
    service.dispose();
  }
});

test('an unknown request type is not-found, naming the known ones', async () => {
  const { client, service } = createInProcessMessengers<ToService>({ validate: validateRequest });
  try {
    await assert.rejects(client.request('files/delete' as RequestType, {} as never), (error: ServiceError) => {
      assert.equal(error.code, 'not-found');
      assert.match(error.message, /Unknown request "files\/delete"\. Should be one of: index\/start, .*system\/info\./);
      return true;
    });
  } finally {
    client.dispose();
    service.dispose();
  }
});
