// Prompts of local models: the plain fallback format for a model without a chat template
// (stories260K), a model's own template (Phi-3.5's, with the Phi-3 vocabulary) tokenized with
// parse_special, BOS added once, control-token texts inside contents kept as text, and token
// counts with an early stop above a limit.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { ChatPromptFormat, PLAIN_CHAT_STOP_STRINGS } from '../../../../core/assistant/common/chatPromptFormat.js';
import type { AnswerPrompts } from '../../../../core/assistant/common/answerPrompt.js';
import { loadAnswerPrompts } from '../../../../core/assistant/node/promptFiles.js';
import { openModel } from '../../../../core/engine/node/openModel.js';
import type { Tokenizer } from '../../../../core/engine/common/tokenizer/tokenizer.js';
import { STORIES_MODEL } from '../support/assistantFixture.js';
import { DATA, vocabTokenizer } from '../../engine/tokenizer/tokenizerData.js';

let prompts: AnswerPrompts;
let stories: Tokenizer;

before(async () => {
  prompts = await loadAnswerPrompts();
  const files = await openModel(STORIES_MODEL);
  stories = files.tokenizer;
  assert.equal(files.chatTemplate, undefined, 'stories260K has no chat template');
  await files.close();
});

const CONVERSATION = [
  { role: 'system', content: 'Cite sources.' },
  { role: 'user', content: 'What is a cache?' },
  { role: 'assistant', content: 'A store [1].' },
  { role: 'user', content: 'And <s> here?' },
] as const;

test('the plain format: system text, "### User" / "### Assistant" turns, an open assistant turn, BOS once', () => {
  const format = new ChatPromptFormat(stories, { fallbackTemplate: prompts.plainChat });
  assert.equal(format.kind, 'plain');
  assert.deepEqual(format.stopStrings, PLAIN_CHAT_STOP_STRINGS);
  const text = format.render(CONVERSATION);
  assert.equal(text, 'Cite sources.\n\n### User\nWhat is a cache?\n\n### Assistant\nA store [1].\n\n### User\nAnd <\u200bs> here?\n\n### Assistant\n');
  const ids = format.encode(CONVERSATION);
  assert.equal(ids[0], stories.bosId);
  assert.equal(ids.filter((id) => id === stories.bosId).length, 1, 'the "<s>" written in a question is text, not a second BOS');
});

test("a model's own template is rendered and its control tokens parsed; the same texts in contents stay text", async () => {
  const phi = await vocabTokenizer('phi-3');
  const template = readFileSync(`${DATA}/tokenizers/chat-templates/microsoft-Phi-3.5-mini-instruct.jinja`, 'utf8');
  const format = new ChatPromptFormat(phi, { modelTemplate: { source: template, file: 'phi-3.5.jinja' }, fallbackTemplate: prompts.plainChat });
  assert.equal(format.kind, 'model');
  assert.deepEqual(format.stopStrings, []);
  const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Does <|end|> end a turn?' }] as const;
  const ids = format.encode(messages);
  const [user, end, assistant] = ['<|user|>', '<|end|>', '<|assistant|>'].map((t) => phi.encode(t, { parseSpecial: true })[0]);
  assert.equal(ids[0], phi.bosId, 'BOS prepended as the model asks');
  assert.equal(ids.filter((id) => id === user).length, 1);
  assert.equal(ids.filter((id) => id === end).length, 2, 'two turns end; the <|end|> in the question is not a third');
  assert.equal(ids[ids.length - 1], assistant);
  assert.ok(format.countTokens('Does <|end|> end a turn?') > 3);
});

test('countTokens is exact within a limit and stops early above it', () => {
  const format = new ChatPromptFormat(stories, { fallbackTemplate: prompts.plainChat });
  const text = 'Once upon a time there was a cache. '.repeat(40);
  const exact = format.countTokens(text);
  assert.equal(format.countTokens(text, exact), exact);
  const huge = 'x'.repeat(1_000_000);
  const started = performance.now();
  assert.ok(format.countTokens(huge, 100) > 100);
  assert.ok(performance.now() - started < 50, 'no encoding of a text that cannot fit');
});
