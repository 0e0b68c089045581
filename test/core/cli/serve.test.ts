// `pinpoint serve` as a real process (the CLI from its sources under tsx; the service in its
// worker thread) on an ephemeral port: the URL and token printed once and written to a 0600
// file; requests without the token, with a wrong Host or with bad bodies refused while the server
// stays up; index progress and an answer by stories260K streamed as server-sent events; paths
// outside the indexed roots refused; a client that hangs up mid-answer cancels it; SIGTERM stops
// it cleanly. Also: there is no flag to listen on another host.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { main } from '../../../core/cli/main.js';
import { EXIT_BAD_ARGUMENT } from '../../../core/cli/exitCodes.js';
import { sourceTree } from '../rag/index/indexSupport.js';
import { tempFolder, writeTree } from '../rag/ingest/support/tempTree.js';
import { allEvents, openStream, post, type Target } from '../service/support/http.js';

const CLI = new URL('../../../core/cli/pinpoint.ts', import.meta.url).pathname;
const MODEL = new URL('../../../../shared/data/llm/stories260K.gguf', import.meta.url).pathname;
const tree = tempFolder('pinpoint-serve-tree-');
const work = tempFolder('pinpoint-serve-');
writeTree(tree.path, sourceTree(2));
const tokenFile = `${work.path}/token`;

let child: ChildProcess;
let printed: { url: string; port: number; token: string; tokenFile: string };
let target: Target;
let stderr = '';

before(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--json', '--db', `${work.path}/db`, '--token-file', tokenFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d) => (stderr += d));
  let stdout = '';
  for await (const chunk of child.stdout!) {
    stdout += chunk;
    if (stdout.includes('\n')) break;
  }
  printed = JSON.parse(stdout.split('\n')[0]);
  target = { port: printed.port, token: printed.token };
});
after(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  tree.remove();
  work.remove();
});

async function stillUp(): Promise<void> {
  assert.equal((await post(target, { path: '/v1/system/info', body: {} })).status, 200);
}

test('prints its URL and a random token once; the token file is readable by its owner only', () => {
  assert.equal(printed.url, `http://127.0.0.1:${printed.port}`);
  assert.match(printed.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(printed.tokenFile, tokenFile);
  assert.equal(readFileSync(tokenFile, 'utf8'), `${printed.token}\n`);
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
});

test('refuses a missing or wrong token, a foreign Host, malformed and invalid bodies, and stays up', async () => {
  const refusals: [Parameters<typeof post>[1], number, RegExp][] = [
    [{ path: '/v1/system/info', headers: { authorization: null } }, 401, /bearer token/],
    [{ path: '/v1/system/info', headers: { authorization: 'Bearer not-the-token' } }, 401, /bearer token/],
    [{ path: '/v1/system/info', headers: { host: `attacker.example:${printed.port}` } }, 403, /Host "attacker.example:\d+" is refused/],
    [{ path: '/v1/search/query', body: '{"query": ' }, 400, /Malformed JSON body/],
    [{ path: '/v1/search/query', body: { query: 'x', k: -1 } }, 400, /"k" should be an integer from 1 to 100; found number -1/],
    [{ path: '/v1/ask/question', body: { question: 'why?' } }, 400, /"model" should be a string; found nothing/],
  ];
  for (const [call, status, message] of refusals) {
    const reply = await post(target, call);
    assert.equal(reply.status, status, reply.text);
    assert.match((reply.json as { error: { message: string } }).error.message, message);
    await stillUp();
  }
});

test('streams index progress, then refuses paths outside the indexed roots', async () => {
  const events = await allEvents(await openStream(target, { path: '/v1/index/start', body: { roots: [tree.path] } }));
  assert.equal(events[0].event, 'start');
  assert.ok(events.some((e) => e.event === 'index/progress'));
  assert.equal((events.at(-1)!.data as { filesIndexed: number }).filesIndexed, 6);
  for (const body of [{ path: '../../../../../../etc/passwd' }, { path: '/etc/passwd' }]) {
    const reply = await post(target, { path: '/v1/files/read', body });
    assert.equal(reply.status, 403, reply.text);
    await stillUp();
  }
  const search = await post(target, { path: '/v1/search/query', body: { query: 'x', filters: { paths: ['../../etc/*'] } } });
  assert.equal(search.status, 403);
  assert.equal((await post(target, { path: '/v1/files/read', body: { path: 'notes.txt' } })).status, 200);
});

test('streams an answer by stories260K: phases, sources, deltas, done, result', async () => {
  const stream = await openStream(target, { path: '/v1/ask/question', body: { question: 'How are totals summed?', model: MODEL, maxTokens: 32, temperature: 0 } });
  const events = await allEvents(stream);
  const names = events.map((e) => e.event);
  assert.equal(names[0], 'start');
  assert.deepEqual(events.filter((e) => e.event === 'ask/phase').map((e) => (e.data as { phase: string }).phase), ['loading-model', 'retrieving', 'building-context', 'prefill', 'generating']);
  assert.ok(names.indexOf('ask/sources') < names.indexOf('ask/delta'));
  assert.deepEqual(names.slice(-2), ['ask/done', 'result']);
  const result = events.at(-1)!.data as { answer: string; sources: { path: string }[]; context: { tokens: number; budget: number } };
  assert.equal(events.filter((e) => e.event === 'ask/delta').map((e) => (e.data as { text: string }).text).join(''), result.answer);
  assert.ok(result.answer.length > 0);
  assert.ok(result.sources.some((s) => s.path.startsWith('src/module')));
  assert.ok(result.context.tokens <= result.context.budget);
});

test('a client that hangs up mid-answer cancels it, and the next question is answered', async () => {
  const conversationId = 'hang-up';
  const body = { question: 'Tell me a long story about parsers.', model: MODEL, maxTokens: 1000, temperature: 0, conversationId };
  const stream = await openStream(target, { path: '/v1/ask/question', body });
  for await (const event of stream.events) if (event.event === 'ask/delta') break;
  stream.hangUp();
  const reply = await post(target, { path: '/v1/ask/question', body: { question: 'Where are names normalized?', model: MODEL, maxTokens: 8, temperature: 0, conversationId } });
  assert.equal(reply.status, 200, reply.text);
  // A finished answer would be a turn of the conversation; the cancelled one is not.
  assert.equal((reply.json as { context: { turnsKept: number } }).context.turnsKept, 0);
});

test('SIGTERM stops it cleanly: exit 0, token file removed, port closed', async () => {
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, stderr);
  assert.match(stderr, /SIGTERM: stopping/);
  assert.equal(existsSync(tokenFile), false);
  await assert.rejects(post(target, { path: '/v1/system/info', body: {} }), /ECONNREFUSED/);
});

test('serve --reranker with a missing folder exits 2 naming it, before the service starts', async () => {
  const out = new PassThrough(), err = new PassThrough();
  let message = '';
  err.on('data', (d) => (message += d));
  const code = await main(['serve', '--db', `${work.path}/db`, '--reranker', `${work.path}/no-such-model`], { stdout: out, stderr: err, signal: new AbortController().signal });
  assert.equal(code, EXIT_BAD_ARGUMENT);
  assert.match(message, /--reranker: ONNX model folder not found: .*no-such-model/);
});

test('there is no way to listen beyond 127.0.0.1: --host is refused', async () => {
  const out = new PassThrough(), err = new PassThrough();
  let message = '';
  err.on('data', (d) => (message += d));
  const code = await main(['serve', '--host', '0.0.0.0'], { stdout: out, stderr: err, signal: new AbortController().signal });
  assert.equal(code, EXIT_BAD_ARGUMENT);
  assert.match(message, /--host/);
});
