// Settings: the base URL normalized to the API root (/v1 added or kept, other paths kept), bad
// URLs and values refused with an ArgumentError naming them, defaults filled in, and the pure
// helpers of retries and errors (Retry-After, backoff, redaction, server error shapes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgumentError, ErrorReason } from '../../../../core/base/common/errors.js';
import { redactorFor } from '../../../../core/models/openai/common/messageText.js';
import { httpError, parseServerError } from '../../../../core/models/openai/common/serverErrors.js';
import { backoffMs, retryAfterMs } from '../../../../core/models/openai/common/retry.js';
import { apiBaseOf, OPENAI_DEFAULTS, resolveOpenAiSettings } from '../../../../core/models/openai/common/settings.js';

test('the base URL becomes the API root: /v1 added to a bare host, kept when given, other paths kept', () => {
  const cases: [string, string, string][] = [
    ['http://127.0.0.1:11434', 'http://127.0.0.1:11434/v1', '127.0.0.1:11434'],
    ['http://127.0.0.1:11434/', 'http://127.0.0.1:11434/v1', '127.0.0.1:11434'],
    ['http://localhost:1234/v1', 'http://localhost:1234/v1', 'localhost:1234'],
    ['http://localhost:1234/v1/', 'http://localhost:1234/v1', 'localhost:1234'],
    ['  https://api.example.com/openai/v1beta// ', 'https://api.example.com/openai/v1beta', 'api.example.com'],
    ['HTTPS://Example.COM:443/v1', 'https://example.com/v1', 'example.com'],
  ];
  for (const [given, apiBase, host] of cases) assert.deepEqual(apiBaseOf(given), { apiBase, host }, given);
});

test('bad base URLs are refused with the reason, credentials never echoed', () => {
  const refuse = (url: string, pattern: RegExp) => assert.throws(() => resolveOpenAiSettings({ baseUrl: url }), (e: unknown) => {
    assert.ok(e instanceof ArgumentError);
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /hunter2/);
    return true;
  });
  refuse('ftp://host/v1', /Unsupported server URL scheme: "ftp". Should be one of: http, https/);
  refuse('127.0.0.1:8080', /Invalid server URL: "127.0.0.1:8080"/);
  refuse('localhost:8080', /Unsupported server URL scheme: "localhost". Should be one of: http, https \(e.g. http:\/\/localhost:8080\)/);
  refuse('not a url', /Invalid server URL: "not a url"/);
  refuse('http://user:hunter2@host:8080', /has credentials in it; put the key in the apiKey setting/);
  refuse('http://host:8080/v1?key=1', /has a query or a fragment/);
});

test('defaults are filled in; bad numbers, encodings, headers and models are refused', () => {
  const resolved = resolveOpenAiSettings({ baseUrl: 'http://127.0.0.1:8080', apiKey: '' });
  assert.equal(resolved.apiKey, undefined);
  assert.equal(resolved.firstByteTimeoutMs, OPENAI_DEFAULTS.firstByteTimeoutMs);
  assert.equal(resolved.idleTimeoutMs, OPENAI_DEFAULTS.idleTimeoutMs);
  assert.equal(resolved.embeddingBatchSize, 64);
  assert.equal(resolved.embeddingEncoding, 'float');
  assert.equal(resolved.streamUsage, true);
  assert.equal(resolved.maxRetries, 3);
  assert.equal(typeof resolved.fetch, 'function');
  const base = { baseUrl: 'http://127.0.0.1:8080' };
  assert.throws(() => resolveOpenAiSettings({ ...base, embeddingBatchSize: 0 }), /Invalid embedding batch size: 0. Should be an integer from 1 to 65536/);
  assert.throws(() => resolveOpenAiSettings({ ...base, idleTimeoutMs: 1.5 }), /Invalid idle timeout \(ms\): 1.5/);
  assert.throws(() => resolveOpenAiSettings({ ...base, maxRetries: -1 }), /Invalid max retries/);
  assert.throws(() => resolveOpenAiSettings({ ...base, embeddingEncoding: 'int8' as never }), /Unsupported embedding encoding: "int8". Should be one of: float, base64/);
  assert.throws(() => resolveOpenAiSettings({ ...base, headers: { 'Bad Name': 'x' } }), /Invalid header name: "Bad Name"/);
  assert.throws(() => resolveOpenAiSettings({ ...base, headers: { 'X-A': 'a\r\nInjected: 1' } }), /Invalid value for header "X-A"/);
  assert.throws(() => resolveOpenAiSettings({ ...base, chatModel: ' ' }), /Invalid chat model/);
});

test('Retry-After: retry-after-ms first, then seconds (decimals too) or an HTTP date; backoff doubles within bounds', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' }), now), 2000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '0.25' }), now), 250);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '1', 'retry-after-ms': '40' }), now), 40);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now), 3000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(retryAfterMs(new Headers(), now), undefined);
  assert.equal(backoffMs(0, 500, 30_000, () => 0.5), 500);
  assert.equal(backoffMs(3, 500, 30_000, () => 0.5), 4000);
  assert.equal(backoffMs(3, 500, 30_000, () => 0), 3000);
  assert.equal(backoffMs(10, 500, 30_000, () => 1), 30_000);
});

test('server error bodies in the OpenAI, vLLM and Ollama shapes; secrets redacted; reason Network', () => {
  assert.deepEqual(parseServerError({ error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key' } }), {
    message: 'bad key', code: 'invalid_request_error, invalid_api_key',
  });
  assert.deepEqual(parseServerError({ object: 'error', message: 'no such model', type: 'NotFoundError', code: 404 }), {
    message: 'no such model', code: 'NotFoundError, 404',
  });
  assert.deepEqual(parseServerError({ error: 'model "x" not found, try pulling it first' }), { message: 'model "x" not found, try pulling it first' });
  assert.equal(parseServerError({ data: [] }), undefined);
  const redact = redactorFor('sk-secret-key-123', { 'X-Token': 'token-value-456', 'X-Short': 'abc' });
  assert.equal(redact('key sk-secret-key-123 and token-value-456 and abc'), 'key *** and *** and abc');
  const error = httpError('POST http://h/v1/x', 401, 'Unauthorized', '{"error":{"message":"Incorrect API key provided: sk-secret-key-123"}}', redact);
  assert.equal(error.message, 'POST http://h/v1/x: HTTP 401 Unauthorized: Incorrect API key provided: ***. Check the API key.');
  assert.equal(error.reason, ErrorReason.Network);
  assert.equal(error.status, 401);
  const html = httpError('GET http://h/v1/models', 502, 'Bad Gateway', '<html>\n<body>upstream   down</body></html>', redact);
  assert.equal(html.message, 'GET http://h/v1/models: HTTP 502 Bad Gateway: <html> <body>upstream down</body></html>. The server failed; see its log.');
});
