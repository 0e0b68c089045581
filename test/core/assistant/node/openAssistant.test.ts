// The answer pipeline end to end: a fixture folder of code and Markdown indexed by the real
// indexer with the static GloVe embedder, answered by stories260K (nonsense answers; the pipeline
// is what is checked): the right files in the sources, whole files when they fit, the budget kept
// and reported with what was left out, phases and timings, cancellation at each stage, and
// follow-ups asked with the conversation.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Assistant } from '../../../../core/assistant/common/Assistant.js';
import type { AnswerEvent } from '../../../../core/assistant/common/answerTypes.js';
import type { ChatMessage, ChatModel } from '../../../../core/assistant/common/chatModel.js';
import { ChatSession } from '../../../../core/assistant/common/ChatSession.js';
import { openAssistant, type OpenedAssistant } from '../../../../core/assistant/node/openAssistant.js';
import { CORPUS, createFixtureIndex, STORIES_MODEL, type FixtureIndex } from '../support/assistantFixture.js';

let fixture: FixtureIndex;
let opened: OpenedAssistant;

before(async () => {
  fixture = await createFixtureIndex();
  opened = await openAssistant({ dbDir: fixture.dbDir, corpus: CORPUS, model: STORIES_MODEL, threads: 1, contextLength: 2048 });
});

after(async () => {
  await opened?.dispose();
  fixture?.remove();
});

const QUICK = { maxTokens: 12, temperature: 0 } as const;

test('the files a question names are its sources, whole when they fit; the report adds up; phases come in order', async () => {
  const answer = opened.assistant.ask('How does the LRU cache evict the oldest entry?', QUICK);
  const events: AnswerEvent[] = [];
  for await (const event of answer) events.push(event);
  const result = await answer.result();

  const cache = result.sources.find((s) => s.path === 'src/cache.ts');
  assert.ok(cache, `src/cache.ts should be a source: ${result.sources.map((s) => s.path).join(', ')}`);
  assert.equal(cache.wholeFile, true);
  assert.deepEqual([cache.startLine, cache.endLine], [1, 22]);
  assert.ok(cache.text.includes("this.emit('evict', oldest);"));
  assert.deepEqual(result.sources.map((s) => s.n), result.sources.map((_, i) => i + 1));

  const { context } = result;
  assert.equal(context.contextLength, 2048);
  assert.equal(context.reservedForAnswer, 12);
  assert.equal(context.budget, 2036);
  assert.ok(context.tokens <= context.budget);
  assert.equal(result.stats?.promptTokens, context.tokens, 'the reported tokens are the prompt the engine read');
  assert.equal(context.sourceTokens, context.included.reduce((n, s) => n + s.tokens, 0));
  assert.equal(context.included.find((s) => s.path === 'src/cache.ts')?.reason, 'whole-file');
  assert.equal(context.tokensEstimated, false);

  const phases = events.filter((e) => e.type === 'phase').map((e) => e.phase);
  assert.deepEqual(phases.slice(0, 3), ['retrieving', 'building-context', 'prefill']);
  const contextAt = events.findIndex((e) => e.type === 'context');
  const firstDelta = events.findIndex((e) => e.type === 'delta');
  assert.ok(contextAt > 0 && (firstDelta < 0 || firstDelta > contextAt));
  assert.equal(events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join(''), result.answer);
  assert.equal(result.cancelled, false);
  const t = result.timings;
  assert.ok(t.retrievalMs > 0 && t.contextMs > 0 && t.prefillMs! > 0 && t.decodeMs >= 0 && t.totalMs >= t.retrievalMs + t.contextMs);
  assert.ok(t.overheadMs >= 0 && t.overheadMs < t.totalMs);

  const helm = await opened.assistant.ask('How do I roll back a release with helm?', QUICK).result();
  assert.ok(helm.sources.some((s) => s.path === 'docs/deploy.md'), helm.sources.map((s) => s.path).join(', '));
});

test('a small budget is kept, and what did not fit is listed with its tokens', async () => {
  const result = await opened.assistant.ask('What did release 1.5 fix in the report exporter?', { ...QUICK, contextLength: 700, maxTokens: 8 }).result();
  const { context } = result;
  assert.equal(context.budget, 692);
  assert.ok(context.tokens <= context.budget, `${context.tokens} > ${context.budget}`);
  assert.equal(result.stats?.promptTokens, context.tokens);
  assert.ok(result.sources.some((s) => s.path === 'docs/changelog.md'));
  assert.ok(context.omitted.length > 0, 'the changelog does not fit whole: some of its results are left out');
  for (const o of context.omitted) {
    assert.equal(o.reason, 'budget');
    assert.ok(o.tokens > 0 && o.startLine >= 1 && o.endLine >= o.startLine);
  }
  const changelog = context.included.find((s) => s.path === 'docs/changelog.md');
  assert.equal(changelog?.reason, 'chunks');
  assert.ok(changelog.wholeFileMinTokens! > changelog.tokens);
});

test('cancelling mid-stream gives a result that says cancelled, with the text so far', async () => {
  const controller = new AbortController();
  const answer = opened.assistant.ask('How does the LRU cache evict the oldest entry?', { maxTokens: 400, contextLength: 1024, temperature: 0, signal: controller.signal });
  let streamed = '';
  for await (const event of answer) {
    if (event.type !== 'delta') continue;
    streamed += event.text;
    controller.abort();
  }
  const result = await answer.result();
  assert.equal(result.cancelled, true);
  assert.equal(result.stopReason, 'cancelled');
  assert.equal(result.answer, streamed);
  assert.ok(result.stats!.generatedTokens < 400);
  assert.ok(result.sources.length > 0, 'the sources chosen before the cancel are kept');

  // Leaving the loop early cancels as well, and the model is free for the next question.
  const left = opened.assistant.ask('Where is the median computed?', { maxTokens: 400, contextLength: 1024, temperature: 0 });
  for await (const event of left) if (event.type === 'delta') break;
  assert.equal((await left.result()).cancelled, true);
  assert.equal((await opened.assistant.ask('Where is the median computed?', { ...QUICK, contextLength: 1024 }).result()).cancelled, false);
});

test('cancelling during retrieval or prefill stops there', async () => {
  for (const stage of ['retrieving', 'prefill'] as const) {
    const controller = new AbortController();
    const answer = opened.assistant.ask('Where is the median computed?', { ...QUICK, signal: controller.signal });
    for await (const event of answer) if (event.type === 'phase' && event.phase === stage) controller.abort();
    const result = await answer.result();
    assert.equal(result.cancelled, true, stage);
    assert.equal(result.answer, '');
    assert.equal(result.sources.length > 0, stage === 'prefill', stage);
  }
});

/** The model, recording the messages of each generation. */
function recording(model: ChatModel): { model: ChatModel; prompts: ChatMessage[][] } {
  const prompts: ChatMessage[][] = [];
  return {
    prompts,
    model: {
      id: model.id, contextLength: model.contextLength, tokensEstimated: model.tokensEstimated,
      countTokens: (text, limit) => model.countTokens(text, limit),
      countPromptTokens: (messages) => model.countPromptTokens(messages),
      generate: (messages, options) => {
        prompts.push([...messages]);
        return model.generate(messages, options);
      },
      dispose: async () => {},
    },
  };
}

test('a follow-up is asked with the conversation: earlier turns in the prompt, the previous question in the search', async () => {
  const spy = recording(opened.model);
  const session = new ChatSession(new Assistant(spy.model, opened.retrieval, opened.assistant.prompts), { ...QUICK, contextLength: 1024 });
  const first = await session.ask('How does the LRU cache evict the oldest entry?').result();
  const second = await session.ask('Which event does it emit then?').result();
  assert.equal(session.turns.length, 2);
  assert.equal(second.query, 'Which event does it emit then?\nHow does the LRU cache evict the oldest entry?');
  assert.deepEqual([second.context.turnsKept, second.context.turnsOmitted], [1, 0]);
  assert.ok(second.context.historyTokens > 0);
  const messages = spy.prompts[1];
  assert.deepEqual(messages.slice(1, 3), [{ role: 'user', content: first.question }, { role: 'assistant', content: first.answer }]);
  assert.match(messages[3].content, /Which event does it emit then\?/);
  assert.ok(second.sources.some((s) => s.path === 'src/cache.ts'));
  session.clear();
  assert.equal(session.turns.length, 0);
});
