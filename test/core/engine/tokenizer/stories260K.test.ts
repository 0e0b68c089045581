// The tokenizer of the stories260K model (SentencePiece, 512 tokens) against the reference files:
// the prompt's ids, and the 256-step greedy continuation decoded back to the reference text.
// The text file is llama2.c's output: the BOS dropped and the first piece's leading space removed,
// which is llama_detokenize of the ids after BOS (add_space_prefix strips the first space).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { tokenizerFromGguf, type Tokenizer } from '../../../../core/engine/common/tokenizer/index.js';
import { DATA, ggufMetadata } from './tokenizerData.js';

const REFERENCE = join(DATA, 'llm/reference');
let tokenizer: Tokenizer;
let ids: number[];
let text: string;

before(async () => {
  tokenizer = tokenizerFromGguf(await ggufMetadata(join(DATA, 'llm/stories260K.gguf')));
  const tokens = readFileSync(join(REFERENCE, 'stories260K_greedy_once-upon-a-time_256steps.tokens.txt'), 'utf8');
  ids = JSON.parse(/^token ids: (\[.*\])$/m.exec(tokens)![1]) as number[];
  text = readFileSync(join(REFERENCE, 'stories260K_greedy_once-upon-a-time_256steps.txt'), 'utf8');
});

test('"Once upon a time" with addSpecial is [1, 403, 407, 261, 378]', () => {
  assert.deepEqual(tokenizer.encode('Once upon a time', { addSpecial: true }), [1, 403, 407, 261, 378]);
  assert.deepEqual(ids.slice(0, 5), [1, 403, 407, 261, 378]);
});

test('the vocabulary and its special tokens', () => {
  assert.equal(tokenizer.vocabSize, 512);
  assert.equal(tokenizer.bosId, 1);
  assert.equal(tokenizer.eosId, 2);
  assert.deepEqual([...tokenizer.eogIds], [2]);
  assert.equal(tokenizer.addBos, true);
  assert.equal(tokenizer.addEos, false);
  assert.equal(tokenizer.tokenText(13), '<0x0A>');
  assert.deepEqual([...tokenizer.tokenBytes(13)], [0x0a]);
});

test('decoding the 256-step continuation reproduces the reference text', () => {
  assert.equal(ids.length, 257);
  assert.equal(tokenizer.decode(ids.slice(1)), text);
  // llama_detokenize with remove_special keeps the first space once it has removed BOS.
  assert.equal(tokenizer.decode(ids, { skipSpecial: true }), ` ${text}`);
  assert.equal(tokenizer.decode(ids), `<s> ${text}`);
});

test('streaming the continuation gives the same text piece by piece', () => {
  const decoder = tokenizer.createStreamDecoder({ skipSpecial: true });
  let streamed = '';
  for (const id of ids) streamed += decoder.push(id);
  streamed += decoder.flush();
  assert.equal(streamed, ` ${text}`);
});

test('encoding the reference text gives back ids that decode to it', () => {
  const encoded = tokenizer.encode(text, { addSpecial: true });
  assert.equal(tokenizer.decode(encoded.slice(1)), text);
});
