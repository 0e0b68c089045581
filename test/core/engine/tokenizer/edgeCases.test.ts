// Edge cases of llama_tokenize semantics: "" and BOS/EOS, parse_special on and off, user-defined
// tokens (always split), end-of-generation ids, byte-level round trips over awkward Unicode,
// streaming multi-byte characters, and the errors a bad GGUF gets. Ids pinned here are the
// reference ids of the .out files (e.g. "Hello" -> 9906 for Llama 3), combined.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ArgumentError, ModelFileError } from '../../../../core/base/common/errors.js';
import { GgufMetadata, GgufValueType, type GgufValue } from '../../../../core/engine/common/gguf/ggufValues.js';
import { tokenizerFromGguf } from '../../../../core/engine/common/tokenizer/index.js';
import { huggingFaceTokenizer, vocabTokenizer } from './tokenizerData.js';

describe('the empty string', () => {
  const cases = [
    ['llama-spm', [1]],
    ['gpt-2', []],
    ['bert-bge', [101, 102]],
  ] as const;
  for (const [name, withSpecial] of cases) {
    test(`${name}: [] without specials, ${JSON.stringify(withSpecial)} with`, async () => {
      const tokenizer = await vocabTokenizer(name);
      assert.deepEqual(tokenizer.encode(''), []);
      assert.deepEqual(tokenizer.encode('', { addSpecial: true }), withSpecial);
      assert.equal(tokenizer.decode([]), '');
    });
  }
  test('llama3: [128000] with specials; qwen3: [] (no BOS)', async () => {
    assert.deepEqual((await huggingFaceTokenizer('llama3')).encode('', { addSpecial: true }), [128000]);
    assert.deepEqual((await huggingFaceTokenizer('qwen3')).encode('', { addSpecial: true }), []);
  });
});

describe('pinned ids of edge strings', () => {
  test('llama3: whitespace runs and digits (llama-bpe.out)', async () => {
    const llama3 = await huggingFaceTokenizer('llama3');
    assert.deepEqual(llama3.encode(' '), [220]);
    assert.deepEqual(llama3.encode('\n\n\n'), [1432]);
    assert.deepEqual(llama3.encode('\t\n'), [1602]);
    assert.deepEqual(llama3.encode('3333333'), [8765, 8765, 18]);
    assert.deepEqual(llama3.encode('    Hello\n    Hello'), [262, 22691, 198, 262, 22691]);
  });
  test('llama-spm: a lone space and the space prefix (llama-spm.out)', async () => {
    const spm = await vocabTokenizer('llama-spm');
    assert.deepEqual(spm.encode(' '), [259]);
    assert.deepEqual(spm.encode('Hello'), [15043]);
    assert.deepEqual(spm.encode(' Hello'), [29871, 15043]);
  });
});

describe('parse_special', () => {
  test('llama3: <|begin_of_text|> is one token only when parsing specials', async () => {
    const llama3 = await huggingFaceTokenizer('llama3');
    const text = '<|begin_of_text|>Hello';
    assert.deepEqual(llama3.encode(text, { parseSpecial: true }), [128000, 9906]);
    const plain = llama3.encode(text, { parseSpecial: false });
    assert.ok(!plain.includes(128000));
    assert.equal(llama3.decode(plain), text);
  });
  test('qwen3: a chat turn keeps its control tokens', async () => {
    const qwen3 = await huggingFaceTokenizer('qwen3');
    const ids = qwen3.encode('<|im_start|>user\nHello<|im_end|>', { parseSpecial: true });
    assert.deepEqual(ids, [151644, ...qwen3.encode('user\nHello'), 151645]);
    assert.equal(qwen3.decode(ids, { skipSpecial: true }), 'user\nHello');
  });
  test('qwen3: user-defined tokens such as <think> are split out even without parse_special', async () => {
    const qwen3 = await huggingFaceTokenizer('qwen3');
    assert.deepEqual(qwen3.encode('<think>'), [151667]);
    assert.equal(qwen3.isSpecial(151667), false);
    assert.equal(qwen3.decode([151667], { skipSpecial: true }), '<think>');
  });
  test('SentencePiece: text after a special token gets the space prefix', async () => {
    const spm = await vocabTokenizer('llama-spm');
    assert.deepEqual(spm.encode('<s>Hello', { parseSpecial: true }), [1, 15043]);
    assert.ok(!spm.encode('<s>Hello').includes(1));
  });
  test('phi-3: "</s>" strips the whitespace after it (llama.cpp sets RSTRIP for phi3 models)', async () => {
    const phi3 = await vocabTokenizer('phi-3');
    assert.deepEqual(phi3.encode('</s>   Hi', { parseSpecial: true }), phi3.encode('</s>Hi', { parseSpecial: true }));
    assert.equal(phi3.encode('</s>Hi', { parseSpecial: true })[0], 2);
  });
});

describe('special and end-of-generation tokens', () => {
  test('eogIds follow llama.cpp (EOS, EOT, EOM, FIM pad/repo/sep, known end texts)', async () => {
    const sorted = (set: ReadonlySet<number>) => [...set].sort((a, b) => a - b);
    // This is Llama 3.0: <|end_of_text|> and <|eot_id|> (<|eom_id|> came with 3.1).
    assert.deepEqual(sorted((await huggingFaceTokenizer('llama3')).eogIds), [128001, 128009]);
    // Qwen's vocabulary also has an ordinary "</s>" (128247); llama.cpp's EOG text list names "</s>" (for
    // paddleocr) and so makes it end generation too, and forces it to control type.
    const qwen3 = await huggingFaceTokenizer('qwen3');
    assert.deepEqual(sorted(qwen3.eogIds), [128247, 151643, 151645, 151662, 151663, 151664]);
    assert.equal(qwen3.tokenText(128247), '</s>');
    assert.deepEqual(sorted((await vocabTokenizer('gpt-2')).eogIds), [50256]);
    assert.deepEqual(sorted((await vocabTokenizer('llama-spm')).eogIds), [2]);
  });
  test('isSpecial, tokenText, tokenBytes and skipSpecial', async () => {
    const llama3 = await huggingFaceTokenizer('llama3');
    assert.equal(llama3.isSpecial(128000), true);
    assert.equal(llama3.isSpecial(9906), false);
    assert.equal(llama3.tokenText(220), 'Ġ');
    assert.deepEqual([...llama3.tokenBytes(220)], [0x20]);
    assert.equal(new TextDecoder().decode(llama3.tokenBytes(128009)), '<|eot_id|>');
    assert.equal(llama3.decode([128000, 9906, 128009]), '<|begin_of_text|>Hello<|eot_id|>');
    assert.equal(llama3.decode([128000, 9906, 128009], { skipSpecial: true }), 'Hello');
  });
  test('an id outside the vocabulary is an ArgumentError', async () => {
    const gpt2 = await vocabTokenizer('gpt-2');
    assert.throws(() => gpt2.decode([50257]), ArgumentError);
    assert.throws(() => gpt2.tokenBytes(-1), ArgumentError);
    assert.throws(() => gpt2.isSpecial(1.5), ArgumentError);
  });
});

describe('byte-level round trips', () => {
  const texts = [
    'plain ASCII with digits 12345 and symbols #$%&*+<=>@^_`{|}~',
    'emoji 🦙🚀 and a family 👩‍👩‍👧‍👦 and flags 🇫🇷🇯🇵 and skin tones 👍🏽',
    '中文字符和日本語のテキスト、한국어 텍스트',
    'combining marks: e\u0301 a\u0308 n\u0303 and Zalgo z\u0336\u0317a\u035Bl\u0334go',
    'RTL: مرحبا بالعالم and שלום עולם; Devanagari नमस्ते; Thai สวัสดีครับ',
    'whitespace\u00a0nbsp\u2003em\u3000ideographic\u0085nel\t\ttabs\r\n\r\ncrlf   \n',
    '\ufeffbyte order mark first, then control chars \u0000\u0007\u001b[0m',
    'math 𝔸𝕓𝒸 ∑∫√∞ and old italic 𐌀𐌁 and music 𝄞',
  ];
  for (const model of ['llama3', 'qwen3'] as const) {
    test(`${model}: decode(encode(x)) === x`, async () => {
      const tokenizer = await huggingFaceTokenizer(model);
      for (const text of texts) assert.equal(tokenizer.decode(tokenizer.encode(text)), text);
    });
  }
  test('gpt-2: decode(encode(x)) === x', async () => {
    const gpt2 = await vocabTokenizer('gpt-2');
    for (const text of texts) assert.equal(gpt2.decode(gpt2.encode(text)), text);
  });
  test('lone surrogates come back as U+FFFD (they have no UTF-8 form)', async () => {
    const qwen3 = await huggingFaceTokenizer('qwen3');
    assert.equal(qwen3.decode(qwen3.encode('a\ud800b\udfffc')), 'a\ufffdb\ufffdc');
    assert.deepEqual(qwen3.encode('x\ud83d'), qwen3.encode('x\ufffd'));
  });
  test('llama3 decode cleans " ," and " ." as llama.cpp does (clean_spaces)', async () => {
    const llama3 = await huggingFaceTokenizer('llama3');
    assert.equal(llama3.decode(llama3.encode('Hello , world . Yes ?')), 'Hello, world. Yes?');
    const qwen3 = await huggingFaceTokenizer('qwen3');
    assert.equal(qwen3.decode(qwen3.encode('Hello , world .')), 'Hello , world .');
  });
});

describe('streaming decode', () => {
  test('a character spelled by four byte-fallback tokens appears whole on the fourth', async () => {
    const spm = await vocabTokenizer('llama-spm');
    const ids = spm.encode('🦙');
    assert.deepEqual(ids, [29871, 243, 162, 169, 156]); // "▁" then <0xF0> <0x9F> <0xA6> <0x99>, as in llama-spm.out
    const decoder = spm.createStreamDecoder();
    assert.deepEqual(ids.map((id) => decoder.push(id)), [' ', '', '', '', '🦙']);
    assert.equal(decoder.flush(), '');
  });
  test('an unfinished character is flushed as U+FFFD', async () => {
    const spm = await vocabTokenizer('llama-spm');
    const decoder = spm.createStreamDecoder();
    assert.equal(decoder.push(243) + decoder.push(162), '');
    assert.equal(decoder.flush(), '\ufffd');
  });
  test('byte-level tokens that split characters never yield a broken character', async () => {
    const gpt2 = await vocabTokenizer('gpt-2');
    const text = '日本語 🦙 ñ é 👩‍👩‍👧';
    const decoder = gpt2.createStreamDecoder();
    const parts = gpt2.encode(text).map((id) => decoder.push(id));
    assert.ok(parts.every((part) => !part.includes('\ufffd')));
    assert.equal(parts.join('') + decoder.flush(), text);
  });
  test('skipSpecial drops control tokens from the stream', async () => {
    const llama3 = await huggingFaceTokenizer('llama3');
    const decoder = llama3.createStreamDecoder({ skipSpecial: true });
    assert.equal([128000, 9906, 128009].map((id) => decoder.push(id)).join(''), 'Hello');
  });
});

const strings = (values: string[]): GgufValue => ({ itemType: GgufValueType.String, values });
const metadata = (entries: Record<string, GgufValue>) => new GgufMetadata('model.gguf', new Map(Object.entries(entries)));

test('SentencePiece merges across "▁" when a token spans it (the word cut must not split there)', () => {
  const tokens = ['<unk>', '<s>', '</s>', '▁', 'a', 'b', 'a▁', '▁b', 'a▁b'];
  const tokenizer = tokenizerFromGguf(metadata({
    'tokenizer.ggml.model': 'llama',
    'tokenizer.ggml.tokens': strings(tokens),
    'tokenizer.ggml.scores': { itemType: GgufValueType.F32, values: Float32Array.of(0, 0, 0, -9, -9, -9, -1, -2, -3) },
    'tokenizer.ggml.token_type': { itemType: GgufValueType.I32, values: Int32Array.of(2, 3, 3, 1, 1, 1, 1, 1, 1) },
  }));
  // "▁a▁b": "a▁" (-1) beats "▁b" (-2), then "a▁" + "b" makes "a▁b".
  assert.deepEqual(tokenizer.encode('a b').map((id) => tokens[id]), ['▁', 'a▁b']);
  assert.deepEqual(tokenizer.encode('b a').map((id) => tokens[id]), ['▁b', '▁', 'a']);
});

describe('GGUF tokenizer errors', () => {
  const fails = (entries: Record<string, GgufValue>, pattern: RegExp) => {
    assert.throws(() => tokenizerFromGguf(metadata(entries)), (error: unknown) => {
      assert.ok(error instanceof ModelFileError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  };
  test('no token list', () => fails({ 'tokenizer.ggml.model': 'llama' }, /^model\.gguf: has no tokenizer \(tokenizer\.ggml\.tokens missing\)$/));
  test('an unsupported tokenizer model names it and the supported ones', () => {
    fails({ 'tokenizer.ggml.model': 't5', 'tokenizer.ggml.tokens': strings(['a']) },
      /tokenizer model "t5" \(tokenizer\.ggml\.model\) is not supported; supported models: llama \(SentencePiece\), gpt2 \(byte-level BPE\), bert \(WordPiece\)/);
  });
  test('an unsupported pre-tokenizer', () => {
    fails({ 'tokenizer.ggml.model': 'gpt2', 'tokenizer.ggml.pre': 'martian', 'tokenizer.ggml.tokens': strings(['a']), 'tokenizer.ggml.merges': strings([]) },
      /pre-tokenizer "martian" \(tokenizer\.ggml\.pre\) is not supported; supported: default, llama3, /);
  });
  test('BPE without merges', () => {
    fails({ 'tokenizer.ggml.model': 'gpt2', 'tokenizer.ggml.tokens': strings(['a']) }, /without merges \(tokenizer\.ggml\.merges missing\)/);
  });
  test('add_bos_token without a BOS token', () => {
    fails({ 'tokenizer.ggml.model': 'gpt2', 'tokenizer.ggml.tokens': strings(['a']), 'tokenizer.ggml.merges': strings([]), 'tokenizer.ggml.add_bos_token': true },
      /add_bos_token is true, but bos_token_id is not set/);
  });
  test('duplicate tokens', () => {
    fails({ 'tokenizer.ggml.model': 'llama', 'tokenizer.ggml.tokens': strings(['a', 'b', 'a']) }, /duplicate token in vocabulary: "a" has ids 0 and 2/);
  });
});
