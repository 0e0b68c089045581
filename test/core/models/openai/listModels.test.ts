// listModels against a local GET /v1/models: ids and owners in the server's order, the key sent
// as Bearer only when set, a bare host or a /v1 base URL reaching the same path, errors typed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listModels, RemoteError } from '../../../../core/models/openai/common/index.js';
import { sendJson, startServer, type FakeServer } from './fakeServer.js';

const KEY = 'sk-models-SECRET-24680';
let server: FakeServer;
let answer: { status: number; body: unknown } = { status: 200, body: {} };

before(async () => {
  server = await startServer((_request, res) => sendJson(res, answer.status, answer.body));
});
after(() => server.close());

test('the models the server lists, from a bare host or a /v1 base URL; the key as Bearer wins over an Authorization header', async () => {
  answer = {
    status: 200,
    body: { object: 'list', data: [
      { id: 'qwen2.5:1.5b', object: 'model', created: 1730000000, owned_by: 'library' },
      { id: 'nomic-embed-text', object: 'model' },
    ] },
  };
  const expected = [{ id: 'qwen2.5:1.5b', ownedBy: 'library', created: 1730000000 }, { id: 'nomic-embed-text' }];
  assert.deepEqual(await listModels({ baseUrl: server.url, apiKey: KEY }), expected);
  assert.deepEqual(await listModels({ baseUrl: `${server.url}/v1/` }), expected);
  const [withKey, withoutKey] = server.requests.slice(-2);
  assert.deepEqual([withKey.method, withKey.path, withoutKey.path], ['GET', '/v1/models', '/v1/models']);
  assert.equal(withKey.headers.authorization, `Bearer ${KEY}`);
  assert.equal(withoutKey.headers.authorization, undefined);
  await listModels({ baseUrl: server.url, headers: { authorization: 'Basic dXNlcjpwYXNz', 'X-Team': 'docs' } });
  await listModels({ baseUrl: server.url, apiKey: KEY, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  const [basic, bearer] = server.requests.slice(-2);
  assert.deepEqual([basic.headers.authorization, basic.headers['x-team']], ['Basic dXNlcjpwYXNz', 'docs']);
  assert.equal(bearer.headers.authorization, `Bearer ${KEY}`);
});

test('an HTTP error keeps the server message and drops the key; a list without data is a protocol error', async () => {
  answer = { status: 401, body: { error: { message: `invalid token ${KEY}`, type: 'auth' } } };
  await assert.rejects(listModels({ baseUrl: server.url, apiKey: KEY }), (e: unknown) => {
    assert.ok(e instanceof RemoteError);
    assert.equal(e.message, `GET ${server.url}/v1/models: HTTP 401 Unauthorized: invalid token *** (auth). Check the API key.`);
    return true;
  });
  answer = { status: 200, body: { models: [] } };
  await assert.rejects(listModels({ baseUrl: server.url }), /GET http:\/\/127.0.0.1:\d+\/v1\/models: the model list has no "data" list/);
  answer = { status: 200, body: { data: [{ object: 'model' }] } };
  await assert.rejects(listModels({ baseUrl: server.url }), /the model list's item 0 has no "id"/);
});
