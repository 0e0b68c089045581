// The remote ChatModel against a local OpenAI-compatible server: the whole pipeline over the
// fixture index gives a streamed answer whose citations resolve to file and line (and a made-up
// number is flagged), token counts are estimates unless the server reports usage, the finish
// reasons map to stop reasons, and a cancel closes the request.

import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { RemoteChatModel, REMOTE_DEFAULT_CONTEXT_LENGTH } from '../../../../core/assistant/common/RemoteChatModel.js';
import { estimateTokens } from '../../../../core/models/openai/common/tokenEstimate.js';
import { openAssistant, type OpenedAssistant } from '../../../../core/assistant/node/openAssistant.js';
import { OpenAiChatModel } from '../../../../core/models/openai/common/OpenAiChatModel.js';
import { chunk, delay, startEvents, startServer, type FakeServer, type SeenRequest } from '../../models/openai/fakeServer.js';
import { CORPUS, createFixtureIndex, type FixtureIndex } from '../support/assistantFixture.js';

let fixture: FixtureIndex;
let server: FakeServer;

/** Streams `pieces`, then a finish reason and usage. */
async function stream(res: ServerResponse, pieces: readonly string[], finish = 'stop', usage = true): Promise<void> {
  startEvents(res);
  for (const piece of pieces) {
    res.write(`data: ${chunk(piece)}\n\n`);
    await delay(1);
  }
  res.write(`data: ${chunk(null, finish)}\n\n`);
  if (usage) res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 900, completion_tokens: 17, total_tokens: 917 } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** Answers by citing the source that shows src/cache.ts, and a number no source has. */
async function citingHandler(request: SeenRequest, res: ServerResponse): Promise<void> {
  const messages = request.body!.messages as { role: string; content: string }[];
  const sources = messages[messages.length - 1].content;
  const n = /^\[(\d+)\] src\/cache\.ts/m.exec(sources)?.[1] ?? '0';
  await stream(res, ['The cache ', `evicts the oldest entry [${n}]. `, `It emits "evict" [${n}, 42].`]);
}

before(async () => {
  fixture = await createFixtureIndex();
  server = await startServer(async (request, res) => {
    const scenario = String(request.headers['x-scenario'] ?? 'cite');
    if (scenario === 'cite') return citingHandler(request, res);
    if (scenario === 'length') return stream(res, ['cut'], 'length', false);
    // "slow": one piece, then nothing until the client goes away.
    startEvents(res);
    res.write(`data: ${chunk('Thinking')}\n\n`);
    await request.clientClosed;
  });
});

after(async () => {
  await server?.close();
  fixture?.remove();
});

function chatModel(scenario: string): RemoteChatModel {
  return new RemoteChatModel(new OpenAiChatModel({ baseUrl: server.url, chatModel: 'test-model', headers: { 'X-Scenario': scenario } }), { contextLength: 4096 });
}

test('over the fixture index, a remote answer streams and its citations resolve to file and line', async () => {
  let opened: OpenedAssistant | undefined;
  try {
    opened = await openAssistant({ dbDir: fixture.dbDir, corpus: CORPUS, model: `openai:${server.url}#test-model`, contextLength: 4096, env: {} });
    const answer = opened.assistant.ask('How does the LRU cache evict the oldest entry?', { maxTokens: 256 });
    let streamed = '';
    for await (const event of answer) if (event.type === 'delta') streamed += event.text;
    const result = await answer.result();
    assert.equal(result.answer, streamed);
    assert.equal(result.model, `openai:${new URL(server.url).host}/test-model`);
    const cache = result.sources.find((s) => s.path === 'src/cache.ts')!;
    assert.ok(cache, 'src/cache.ts is a source');
    assert.deepEqual(result.citations.map((c) => [c.n, c.valid, c.mentions]), [[cache.n, true, 2], [42, false, 1]]);
    assert.deepEqual(result.citations[0].place, { root: fixture.root, path: 'src/cache.ts', startLine: cache.startLine, endLine: cache.endLine });
    assert.equal(result.stopReason, 'end-of-generation');

    const body = server.requests[server.requests.length - 1].body!;
    assert.equal(body.model, 'test-model');
    assert.equal(body.max_tokens, 256);
    assert.deepEqual((body.messages as { role: string }[]).map((m) => m.role), ['system', 'user']);

    assert.equal(result.context.tokensEstimated, true);
    assert.ok(result.context.tokens <= result.context.budget && result.context.budget === 4096 - 256);
    assert.deepEqual([result.stats?.promptTokens, result.stats?.generatedTokens, result.stats?.tokensEstimated], [900, 17, false], 'the usage the server reported');
    assert.ok(result.timings.firstTokenMs !== undefined && result.timings.decodeMs >= 0);
  } finally {
    await opened?.dispose();
  }
});

test('estimates: one token per 3 bytes of UTF-8, an allowance per message, the default context length', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('abcdef'), 2);
  assert.equal(estimateTokens('é'), 1);
  assert.equal(estimateTokens('日本語'), 3);
  assert.equal(estimateTokens('😀'), 2);
  const model = new RemoteChatModel(new OpenAiChatModel({ baseUrl: server.url, chatModel: 'm' }));
  assert.equal(model.contextLength, REMOTE_DEFAULT_CONTEXT_LENGTH);
  assert.equal(model.countPromptTokens([{ role: 'user', content: 'abcdef' }]), 2 + 4 + 3);
  assert.throws(() => new RemoteChatModel(new OpenAiChatModel({ baseUrl: server.url, chatModel: 'm' }), { contextLength: 0 }), /context length/);
});

test('finish reason "length" is max-tokens with estimated counts; a cancel ends the request as cancelled', async () => {
  const cut = await chatModel('length').generate([{ role: 'user', content: 'hello there' }], { maxTokens: 1 }).result();
  assert.deepEqual([cut.text, cut.stopReason, cut.stats.tokensEstimated, cut.stats.generatedTokens], ['cut', 'max-tokens', true, 1]);

  const controller = new AbortController();
  const generation = chatModel('slow').generate([{ role: 'user', content: 'hi' }], { signal: controller.signal });
  for await (const delta of generation) {
    assert.equal(delta.text, 'Thinking');
    controller.abort();
  }
  const result = await generation.result();
  assert.deepEqual([result.text, result.stopReason], ['Thinking', 'cancelled']);
  await server.requests[server.requests.length - 1].clientClosed;
});
