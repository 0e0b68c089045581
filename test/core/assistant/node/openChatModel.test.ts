// Opening the model a --model value names: the spec syntax (path, id, openai:<baseUrl>#<model>),
// a local GGUF without a chat template (plain format), a remote server with its key from the
// environment, the default model, and prompt folders that are checked on load.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ArgumentError } from '../../../../core/base/common/errors.js';
import { LocalChatModel } from '../../../../core/assistant/common/LocalChatModel.js';
import { parseModelSpec } from '../../../../core/assistant/common/modelSpec.js';
import { RemoteChatModel } from '../../../../core/assistant/common/RemoteChatModel.js';
import { defaultModelSpec, openChatModel } from '../../../../core/assistant/node/openChatModel.js';
import { loadAnswerPrompts, PROMPT_FILES, shippedPromptsFolder } from '../../../../core/assistant/node/promptFiles.js';
import { OpenAiChatModel } from '../../../../core/models/openai/common/OpenAiChatModel.js';
import { STORIES_MODEL } from '../support/assistantFixture.js';

test('model specs: a path or id is local; openai:<baseUrl>#<model> is remote; a malformed one shows the syntax', () => {
  assert.deepEqual(parseModelSpec('./models/a.gguf'), { kind: 'local', idOrPath: './models/a.gguf' });
  assert.deepEqual(parseModelSpec('qwen2.5-0.5b-instruct'), { kind: 'local', idOrPath: 'qwen2.5-0.5b-instruct' });
  assert.deepEqual(parseModelSpec('openai:http://127.0.0.1:11434#qwen2.5:1.5b'), { kind: 'remote', baseUrl: 'http://127.0.0.1:11434', model: 'qwen2.5:1.5b' });
  for (const bad of ['openai:http://127.0.0.1:11434', 'openai:#m', 'openai:http://h#', '  ']) {
    assert.throws(() => parseModelSpec(bad), (e: unknown) => e instanceof ArgumentError && /openai:<baseUrl>#<model>/.test(e.message), bad);
  }
});

test('a remote spec opens a RemoteChatModel with the key from the environment and the context length given', async () => {
  const model = await openChatModel('openai:http://127.0.0.1:9/v1#llama3', { env: { OPENAI_API_KEY: 'sk-env' }, contextLength: 16384 });
  assert.ok(model instanceof RemoteChatModel);
  assert.equal(model.id, 'openai:127.0.0.1:9/llama3');
  assert.equal(model.contextLength, 16384);
  assert.equal(((model as RemoteChatModel).chat as OpenAiChatModel).settings.apiKey, 'sk-env');
  await assert.rejects(openChatModel('openai:ftp://host#m'), /scheme/);
});

test('a local GGUF without a chat template uses the plain format; a missing file is an argument error', async () => {
  const model = await openChatModel(STORIES_MODEL, { threads: 1, contextLength: 256 });
  try {
    assert.ok(model instanceof LocalChatModel);
    assert.equal(model.format.kind, 'plain');
    assert.equal(model.contextLength, 256);
    assert.equal(model.tokensEstimated, false);
    const result = await model.generate([{ role: 'user', content: 'Once upon a time' }], { maxTokens: 4, temperature: 0 }).result();
    assert.equal(result.stats.generatedTokens, 4);
    assert.equal(result.stats.promptTokens, model.countPromptTokens([{ role: 'user', content: 'Once upon a time' }]));
  } finally {
    await model.dispose();
  }
  await assert.rejects(openChatModel('/nonexistent/model.gguf'), ArgumentError);
});

test('the default model: PINPOINT_MODEL, else an installed chat model, else a message saying how to get one', async () => {
  assert.equal(await defaultModelSpec({ env: { PINPOINT_MODEL: 'openai:http://h#m' } }), 'openai:http://h#m');
  const cache = mkdtempSync(join(tmpdir(), 'pinpoint-empty-cache-'));
  try {
    await assert.rejects(defaultModelSpec({ env: {}, store: { cacheDir: cache } }), /--model/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('prompt folders are checked on load and name the bad file', async () => {
  const shipped = await loadAnswerPrompts();
  assert.match(shipped.user, /\{\{sources\}\}/);
  assert.ok(shipped.plainChat.file.startsWith(shippedPromptsFolder()));
  const folder = mkdtempSync(join(tmpdir(), 'pinpoint-prompts-'));
  try {
    for (const name of Object.values(PROMPT_FILES)) writeFileSync(join(folder, name), 'text');
    await assert.rejects(loadAnswerPrompts(folder), (e: unknown) => e instanceof ArgumentError && e.message.includes(PROMPT_FILES.user) && e.message.includes('{{sources}}'));
    rmSync(join(folder, PROMPT_FILES.system));
    await assert.rejects(loadAnswerPrompts(folder), /answer-system\.txt/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
