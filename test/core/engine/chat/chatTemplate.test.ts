// Tests of chat template rendering with the real templates in shared/data: exact prompts for
// Llama 3.1/3.2, Qwen2.5, Mistral-Nemo, Phi-3.5 and Gemma-2, system-message handling, tools,
// and the errors (a template's raise_exception, a template that does not parse or run).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { ChatTemplateError, parseChatTemplate, renderChatTemplate, strftime, templateTokens, type ChatMessage } from '../../../../core/engine/common/chatTemplate.js';
import { openModel } from '../../../../core/engine/node/openModel.js';
import { DATA, STORIES_GGUF } from '../../../fixtures/hf/hfFromGguf.js';

const TEMPLATES = join(DATA, 'tokenizers/chat-templates');
const load = (name: string): string => readFileSync(join(TEMPLATES, name), 'utf8');

const SYSTEM: ChatMessage = { role: 'system', content: 'You are helpful.' };
const TURNS: ChatMessage[] = [
  { role: 'user', content: 'Hello!' },
  { role: 'assistant', content: 'Hi there.' },
  { role: 'user', content: 'What is 2+2?' },
];

function render(file: string, messages: ChatMessage[], options: { bos?: string; eos?: string; generate?: boolean; now?: Date } = {}): string {
  return renderChatTemplate(load(file), {
    messages,
    addGenerationPrompt: options.generate ?? true,
    bosToken: options.bos ?? '',
    eosToken: options.eos ?? '',
    now: options.now,
  }, file);
}

const LLAMA_HEADER = (role: string): string => `<|start_header_id|>${role}<|end_header_id|>\n\n`;

test('Llama 3.1: system block with dates, one header per turn, assistant prompt', () => {
  const prompt = render('meta-llama-Llama-3.1-8B-Instruct.jinja', [SYSTEM, ...TURNS], { bos: '<|begin_of_text|>' });
  assert.equal(
    prompt,
    '<|begin_of_text|>' +
      LLAMA_HEADER('system') + 'Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are helpful.<|eot_id|>' +
      LLAMA_HEADER('user') + 'Hello!<|eot_id|>' +
      LLAMA_HEADER('assistant') + 'Hi there.<|eot_id|>' +
      LLAMA_HEADER('user') + 'What is 2+2?<|eot_id|>' +
      LLAMA_HEADER('assistant'),
  );
});

test('Llama 3.2: no system message still gives the system block; strftime_now dates it', () => {
  const prompt = render('meta-llama-Llama-3.2-3B-Instruct.jinja', TURNS.slice(0, 1), { bos: '<|begin_of_text|>', now: new Date(2025, 2, 5, 12) });
  assert.equal(
    prompt,
    '<|begin_of_text|>' +
      LLAMA_HEADER('system') + 'Cutting Knowledge Date: December 2023\nToday Date: 05 Mar 2025\n\n<|eot_id|>' +
      LLAMA_HEADER('user') + 'Hello!<|eot_id|>' +
      LLAMA_HEADER('assistant'),
  );
});

test('Qwen2.5: ChatML with the given system message, or the default one', () => {
  const turns = '<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\nHi there.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n';
  assert.equal(
    render('Qwen-Qwen2.5-7B-Instruct.jinja', [SYSTEM, ...TURNS]),
    '<|im_start|>system\nYou are helpful.<|im_end|>\n' + turns + '<|im_start|>assistant\n',
  );
  assert.equal(
    render('Qwen-Qwen2.5-7B-Instruct.jinja', TURNS, { generate: false }),
    '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' + turns,
  );
});

test('Qwen2.5 with tools lists them as JSON in the system message', () => {
  const tool = { type: 'function', function: { name: 'search', description: 'Search files', parameters: { type: 'object', properties: {} } } };
  const prompt = renderChatTemplate(load('Qwen-Qwen2.5-7B-Instruct.jinja'), { messages: TURNS.slice(0, 1), tools: [tool] }, 'qwen');
  assert.ok(prompt.startsWith('<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n# Tools\n'), prompt);
  assert.ok(prompt.includes('<tools>\n{"type": "function", "function": {"name": "search"'), prompt);
  assert.ok(prompt.endsWith('<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n'), prompt);
});

test('Mistral-Nemo: system message joins the last user turn; eos closes assistant turns', () => {
  const prompt = render('mistralai-Mistral-Nemo-Instruct-2407.jinja', [SYSTEM, ...TURNS], { bos: '<s>', eos: '</s>' });
  assert.equal(prompt, '<s>[INST]Hello![/INST]Hi there.</s>[INST]You are helpful.\n\nWhat is 2+2?[/INST]');
});

test('Mistral-Nemo: roles that do not alternate are a ChatTemplateError with the template message', () => {
  const messages = [TURNS[0], { role: 'user', content: 'Again?' }];
  assert.throws(
    () => render('mistralai-Mistral-Nemo-Instruct-2407.jinja', messages, { bos: '<s>', eos: '</s>' }),
    (error: unknown) => {
      assert.ok(error instanceof ChatTemplateError, String(error));
      assert.equal(error.problem, 'After the optional system message, conversation roles must alternate user/assistant/user/assistant/...');
      assert.match(error.message, /^the chat template of mistralai-Mistral-Nemo-Instruct-2407\.jinja rejects this conversation: After/);
      return true;
    },
  );
});

test('Phi-3.5: tagged turns; eos_token ends the text when no generation prompt is asked', () => {
  const turns = '<|system|>\nYou are helpful.<|end|>\n<|user|>\nHello!<|end|>\n<|assistant|>\nHi there.<|end|>\n<|user|>\nWhat is 2+2?<|end|>\n';
  assert.equal(render('microsoft-Phi-3.5-mini-instruct.jinja', [SYSTEM, ...TURNS]), turns + '<|assistant|>\n');
  assert.equal(render('microsoft-Phi-3.5-mini-instruct.jinja', [SYSTEM, ...TURNS], { generate: false, eos: '<|endoftext|>' }), turns + '<|endoftext|>');
});

test('Gemma-2: assistant becomes model; a system message is refused', () => {
  assert.equal(
    render('google-gemma-2-2b-it.jinja', TURNS, { bos: '<bos>' }),
    '<bos><start_of_turn>user\nHello!<end_of_turn>\n<start_of_turn>model\nHi there.<end_of_turn>\n<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n',
  );
  assert.throws(() => render('google-gemma-2-2b-it.jinja', [SYSTEM, ...TURNS]), (error: unknown) => error instanceof ChatTemplateError && error.problem === 'System role not supported');
});

test('the Llama 3 tokenizer_config.json template renders too', () => {
  const config = JSON.parse(readFileSync(join(DATA, 'tokenizers/llama3/tokenizer_config.json'), 'utf8')) as { chat_template: string };
  const prompt = renderChatTemplate(config.chat_template, { messages: TURNS.slice(0, 1), bosToken: '<|begin_of_text|>' }, 'tokenizer_config.json');
  assert.equal(prompt, '<|begin_of_text|>' + LLAMA_HEADER('user') + 'Hello!<|eot_id|>' + LLAMA_HEADER('assistant'));
});

test('a template that does not parse or fails at run time is a ModelFileError naming the file', () => {
  assert.throws(() => parseChatTemplate('{% for m in messages %}{{ m.content }}', 'broken.jinja'), (error: unknown) => {
    return error instanceof ModelFileError && error.file === 'broken.jinja' && /does not parse/.test(error.problem);
  });
  const failing = parseChatTemplate('{{ messages | no_such_filter }}', 'odd.jinja');
  assert.throws(() => failing.render({ messages: TURNS }), (error: unknown) => error instanceof ModelFileError && /the chat template failed/.test(error.problem));
});

test('a parsed template renders many conversations; variables reach the template', () => {
  const template = parseChatTemplate('{{ bos_token }}{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}{{ date_string }}', 't.jinja');
  assert.equal(template.render({ messages: TURNS.slice(0, 1), bosToken: 'B', variables: { date_string: 'today' } }), 'B[user:Hello!]today');
  assert.equal(template.render({ messages: TURNS.slice(1, 2) }), '[assistant:Hi there.]');
});

test('strftime follows Python in the C locale', () => {
  const date = new Date(2024, 6, 26, 9, 5, 7);
  assert.equal(strftime(date, '%d %b %Y'), '26 Jul 2024');
  assert.equal(strftime(date, '%A %B %e, %H:%M:%S %I%p %j %y %%'), 'Friday July 26, 09:05:07 09AM 208 24 %');
});

test('templateTokens gives the model\'s BOS and EOS texts', async () => {
  const model = await openModel(STORIES_GGUF);
  try {
    assert.deepEqual(templateTokens(model.tokenizer), { bosToken: '<s>', eosToken: '</s>' });
  } finally {
    await model.close();
  }
});
