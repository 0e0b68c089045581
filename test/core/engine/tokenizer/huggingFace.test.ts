// Hugging Face tokenizer.json: the Llama 3 and Qwen3 files must reproduce llama.cpp's expected ids
// for llama-bpe, qwen2 and deepseek-r1-qwen (every case); a SentencePiece-style BPE file, built
// from the llama-spm vocabulary the way HF's converter builds one, must reproduce llama-spm's; and
// malformed files fail with a ModelFileError naming the file and the field.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { tokenizerFromHuggingFace } from '../../../../core/engine/common/tokenizer/index.js';
import { VOCAB_DIR, ggufMetadata, huggingFaceFiles, huggingFaceTokenizer, vocabCases } from './tokenizerData.js';

const EXPECTATIONS = [
  ['llama3', 'llama-bpe'],
  ['qwen3', 'qwen2'],
  // Same ids as qwen2: DeepSeek-R1-Distill-Qwen keeps Qwen2's vocabulary and regex; only its
  // added special tokens differ, and no test string contains one.
  ['qwen3', 'deepseek-r1-qwen'],
] as const;

for (const [model, vocab] of EXPECTATIONS) {
  describe(`${model}/tokenizer.json against ggml-vocab-${vocab}`, () => {
    for (const { index, text, ids } of vocabCases(vocab)) {
      test(`case ${index}: ${JSON.stringify(text).slice(0, 60)}`, async () => {
        const tokenizer = await huggingFaceTokenizer(model);
        assert.deepEqual(tokenizer.encode(text), ids);
      });
    }
  });
}

/**
 * A Llama-2-style tokenizer.json from the llama-spm GGUF: merges listed as tokenizers'
 * SentencePieceExtractor lists them (every split of a piece into two pieces, pieces by score).
 */
async function sentencePieceStyleJson(): Promise<unknown> {
  const metadata = await ggufMetadata(join(VOCAB_DIR, 'ggml-vocab-llama-spm.gguf'));
  const tokens = metadata.stringArray('tokenizer.ggml.tokens')!;
  const scores = metadata.floatArray('tokenizer.ggml.scores')!;
  const ids = new Map(tokens.map((token, id) => [token, id]));
  const byScore = tokens.map((_, id) => id).sort((a, b) => scores[b] - scores[a] || a - b);
  const merges: string[] = [];
  for (const id of byScore) {
    const piece = tokens[id];
    const splits: [string, string][] = [];
    for (let cut = 1; cut < piece.length; cut++) {
      const [left, right] = [piece.slice(0, cut), piece.slice(cut)];
      if (ids.has(left) && ids.has(right)) splits.push([left, right]);
    }
    splits.sort((a, b) => ids.get(a[0])! - ids.get(b[0])! || ids.get(a[1])! - ids.get(b[1])!);
    for (const [left, right] of splits) merges.push(`${left} ${right}`);
  }
  return {
    version: '1.0',
    added_tokens: [0, 1, 2].map((id) => ({ id, content: tokens[id], special: true })),
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    pre_tokenizer: null,
    model: { type: 'BPE', byte_fallback: true, unk_token: '<unk>', vocab: Object.fromEntries(ids), merges },
  };
}

describe('SentencePiece-style tokenizer.json (Llama 2 layout) against ggml-vocab-llama-spm', async () => {
  const json = await sentencePieceStyleJson();
  const config = { add_bos_token: true, add_eos_token: false, bos_token: '<s>', eos_token: '</s>', unk_token: { content: '<unk>' } };
  const tokenizer = tokenizerFromHuggingFace(json, config, 'llama2-style/tokenizer.json');
  for (const { index, text, ids } of vocabCases('llama-spm')) {
    test(`case ${index}: ${JSON.stringify(text).slice(0, 60)}`, () => {
      assert.deepEqual(tokenizer.encode(text), ids);
    });
  }
  test('adds BOS and decodes back without the space prefix', () => {
    const ids = tokenizer.encode('Hello world', { addSpecial: true });
    assert.deepEqual(ids, [1, 15043, 3186]);
    assert.equal(tokenizer.decode(ids.slice(1)), 'Hello world');
  });
});

describe('malformed tokenizer files', () => {
  const file = 'bad/tokenizer.json';
  const model = { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b'] };
  const gpt2 = { model, pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, use_regex: true } };
  const fails = (json: unknown, config: unknown, pattern: RegExp) => {
    assert.throws(() => tokenizerFromHuggingFace(json, config, file), (error: unknown) => {
      assert.ok(error instanceof ModelFileError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  };

  test('a minimal valid file loads', () => {
    const tokenizer = tokenizerFromHuggingFace(gpt2, undefined, file);
    assert.deepEqual(tokenizer.encode('ab'), [2]);
  });
  test('root that is not an object', () => fails([], undefined, /^bad\/tokenizer\.json: "" should be an object; found an array$/));
  test('missing model', () => fails({}, undefined, /"model" should be an object; found nothing/));
  test('unsupported model type names it and the supported ones', () => fails({ model: { ...model, type: 'Unigram' } }, undefined, /"model.type" is "Unigram"; supported: BPE/));
  test('vocab of the wrong type', () => fails({ ...gpt2, model: { ...model, vocab: ['a'] } }, undefined, /"model.vocab" should be an object; found an array/));
  test('a negative token id', () => fails({ ...gpt2, model: { ...model, vocab: { a: -1 } } }, undefined, /"model.vocab.a" should be a token id/));
  test('ids far beyond the number of tokens', () => fails({ ...gpt2, model: { ...model, vocab: { a: 0, b: 2 ** 31 - 2 } } }, undefined, /token ids go up to 2147483646 for only 2 tokens/));
  test('a merge without a space', () => fails({ ...gpt2, model: { ...model, merges: ['ab'] } }, undefined, /"model.merges\[0\]" should be a "left right" pair/));
  test('an added token without content', () => fails({ ...gpt2, added_tokens: [{ id: 3 }] }, undefined, /"added_tokens\[0\].content" should be a string; found nothing/));
  test('an unknown pre-tokenizer regex', () => {
    const pre = { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: '\\w+' }, behavior: 'Isolated' }, { type: 'ByteLevel', use_regex: false }] };
    fails({ model, pre_tokenizer: pre }, undefined, /"pre_tokenizer" is not supported \(Split \{"Regex":"\\\\w\+"\} \+ ByteLevel\); supported: /);
  });
  test('a config naming a token that does not exist', () => fails(gpt2, { eos_token: '<|eot|>' }, /tokenizer_config\.json\): "eos_token" is "<\|eot\|>", which is not a token/));
  test('a config field of the wrong type names the config', () => fails(gpt2, { add_bos_token: 'yes' }, /bad\/tokenizer\.json \(tokenizer_config\.json\): "add_bos_token" should be true or false; found the string "yes"/));
  test('duplicate token texts', () => fails({ ...gpt2, added_tokens: [{ id: 3, content: 'ab', special: true }] }, undefined, /duplicate token in vocabulary: "ab" has ids 2 and 3/));
});

test('the Llama 3 and Qwen3 files keep their llama.cpp flags', async () => {
  const llama3 = await huggingFaceTokenizer('llama3');
  assert.equal(llama3.bosId, 128000);
  assert.equal(llama3.addBos, true);
  assert.deepEqual(llama3.encode('Hello', { addSpecial: true }), [128000, 9906]);
  const qwen3 = await huggingFaceTokenizer('qwen3');
  assert.equal(qwen3.bosId, undefined);
  assert.equal(qwen3.eosId, 151645);
  assert.deepEqual(qwen3.encode('Hello', { addSpecial: true }), [9707]);
  const { json } = huggingFaceFiles('qwen3');
  assert.deepEqual(tokenizerFromHuggingFace(json, undefined, 'qwen3/tokenizer.json').encode('Hello', { addSpecial: true }), [9707]);
});
