// The engine end to end on the real stories260K model: the reference greedy continuation token
// for token, batched prefill equal to token-by-token evaluation, KV cache reuse, streaming,
// stop strings, cancellation, context limits and thread counts.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { LanguageModel } from '../../../../core/engine/common/languageModel.js';
import { loadLanguageModel, type LoadedLanguageModel } from '../../../../core/engine/node/loadLanguageModel.js';
import { ExpectedError } from '../../../../core/base/common/errors.js';

const MODEL = new URL('../../../../../shared/data/llm/stories260K.gguf', import.meta.url).pathname;
const REFERENCE = new URL('../../../../../shared/data/llm/reference/', import.meta.url).pathname;

let loaded: LoadedLanguageModel;
let model: LanguageModel;
before(async () => {
  loaded = await loadLanguageModel(MODEL, { threads: 2, contextLength: 512 });
  model = loaded.model;
});
after(async () => {
  await loaded.dispose();
});

function referenceIds(): number[] {
  const text = readFileSync(`${REFERENCE}stories260K_greedy_once-upon-a-time_256steps.tokens.txt`, 'utf8');
  return JSON.parse(/token ids: (\[.*\])/.exec(text)![1]) as number[];
}

test('greedy "Once upon a time" reproduces the 256-step reference exactly, tokens and text', async () => {
  const ids = referenceIds(); // BOS + 4 prompt tokens + 252 generated: 256 steps after BOS
  const steps = ids.length - 5;
  const prompt = model.tokenizer.encode('Once upon a time', { addSpecial: true, parseSpecial: true });
  assert.deepEqual(prompt, ids.slice(0, 5));
  model.resetCache();
  const result = await model.generate(prompt, { maxTokens: steps, sampling: { temperature: 0 } }).result();
  assert.deepEqual([...prompt, ...result.tokens], ids);
  const text = readFileSync(`${REFERENCE}stories260K_greedy_once-upon-a-time_256steps.txt`, 'utf8');
  assert.ok(text.startsWith('Once upon a time' + result.text.slice(0, 200)), 'decoded text matches the reference');
  assert.equal(result.stopReason, 'max-tokens');
  assert.equal(result.stats.generatedTokens, steps);
  assert.ok(result.stats.kvCacheBytes === 2 * 5 * 4 * 512 * 8 * 2, `KV bytes: 2 (k,v) x 5 layers x 4 heads x 512 x 8 dims x 2 bytes, got ${result.stats.kvCacheBytes}`);
});

test('batched prefill gives the logits of token-by-token evaluation', async () => {
  const tokens = referenceIds().slice(0, 40);
  model.resetCache();
  const batched = (await model.evaluate(tokens, 'all')).logits!;
  const vocab = model.config.vocabSize;
  for (let i = 0; i < tokens.length; i += 13) {
    model.resetCache();
    const single = (await model.evaluate(tokens.slice(0, i + 1), 'last')).logits!;
    let err = 0;
    for (let j = 0; j < vocab; j++) err = Math.max(err, Math.abs(single[j] - batched[i * vocab + j]));
    assert.ok(err < 1e-4, `position ${i}: max |diff| ${err}`);
  }
});

test('a prompt that extends the previous one reuses its cached tokens and gives the same result', async () => {
  const prompt = model.tokenizer.encode('Once upon a time, there was a dog', { addSpecial: true });
  model.resetCache();
  const fresh = await model.generate(prompt, { maxTokens: 20, sampling: { temperature: 0 } }).result();
  const longer = [...prompt, ...fresh.tokens.slice(0, 5)];
  const reused = await model.generate(longer, { maxTokens: 15, sampling: { temperature: 0 } }).result();
  assert.ok(reused.stats.reusedTokens >= prompt.length, `reused ${reused.stats.reusedTokens}`);
  assert.deepEqual(reused.tokens, fresh.tokens.slice(5, 20));
});

test('streamed deltas concatenate to the result text, and a seed makes sampling reproducible', async () => {
  const prompt = model.tokenizer.encode('The cat', { addSpecial: true });
  const run = async (): Promise<{ streamed: string; text: string }> => {
    const generation = model.generate(prompt, { maxTokens: 50, sampling: { temperature: 1, seed: 42 } });
    let streamed = '';
    for await (const delta of generation) streamed += delta.text;
    return { streamed, text: (await generation.result()).text };
  };
  const a = await run(), b = await run();
  assert.equal(a.streamed, a.text);
  assert.equal(a.text, b.text);
});

test('a stop string ends generation and is not part of the text', async () => {
  const prompt = referenceIds().slice(0, 5);
  const result = await model.generate(prompt, { maxTokens: 100, stopStrings: ['Lily'], sampling: { temperature: 0 } }).result();
  assert.equal(result.stopReason, 'stop-string');
  assert.equal(result.text, ', there was a little girl named ');
});

test('an AbortSignal cancels the stream; the result says so and keeps the partial text', async () => {
  const controller = new AbortController();
  const generation = model.generate(referenceIds().slice(0, 5), { maxTokens: 200, signal: controller.signal, sampling: { temperature: 0 } });
  let pieces = 0;
  for await (const _ of generation) if (++pieces === 5) controller.abort();
  const result = await generation.result();
  assert.equal(result.stopReason, 'cancelled');
  assert.ok(result.tokens.length >= 5 && result.tokens.length < 200);
});

test('context limits: a prompt longer than the context is refused; generation stops when it is full', async () => {
  const small = await loadLanguageModel(MODEL, { threads: 1, contextLength: 16 });
  try {
    const long = Array.from({ length: 17 }, () => 300);
    await assert.rejects(small.model.generate(long).result(), (e: unknown) => e instanceof ExpectedError && /17 tokens but the context holds 16/.test(e.message));
    const result = await small.model.generate(referenceIds().slice(0, 5), { maxTokens: 100, sampling: { temperature: 0 } }).result();
    assert.equal(result.stopReason, 'context-full');
    assert.equal(result.tokens.length, 11);
  } finally {
    await small.dispose();
  }
});

test('one thread and two threads compute the same logits', async () => {
  const one = await loadLanguageModel(MODEL, { threads: 1, contextLength: 64 });
  try {
    const tokens = referenceIds().slice(0, 30);
    model.resetCache();
    const a = (await model.evaluate(tokens, 'all')).logits!;
    const b = (await one.model.evaluate(tokens, 'all')).logits!;
    assert.deepEqual(a, b);
  } finally {
    await one.dispose();
  }
});
