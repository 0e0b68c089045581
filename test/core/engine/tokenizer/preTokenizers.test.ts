// The BPE pre-tokenizers: every supported name compiles, the ASCII fast path splits exactly as the
// Unicode regexes do, and whitespace means Unicode White_Space as in llama.cpp (U+0085 is
// whitespace, U+FEFF is not), which JavaScript's own \s gets wrong both ways.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PRE_TOKENIZER_NAMES, preTokenizerByName, type PreTokenizer } from '../../../../core/engine/common/tokenizer/preTokenizers.js';
import { preTokenize } from '../../../../core/engine/common/tokenizer/regexSplit.js';

function pre(name: string): PreTokenizer {
  const found = preTokenizerByName(name);
  assert.ok(found, name);
  return found;
}

/** A small deterministic generator (a 32-bit LCG). */
function random(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const PIECES = ['a', 'Z', 'word', 'Hello', '7', '123', '4567', ' ', '  ', '\t', '\n', '\r\n', '\u000b', "'s", "'LL", "'", '.', ',', '!!', '...', '$', '+', '<=>', '^', '`', '|', '~', '_', '-', '/', '(', ')', '[', ']', '\\', '"', '#', '@', '%', '&', '*', ':', ';', '?', '{', '}', '\u0001', '\u007f'];

describe('pre-tokenizers', () => {
  test('every supported name compiles, and unknown names are undefined', () => {
    for (const name of PRE_TOKENIZER_NAMES) assert.ok(pre(name).regexes.length > 0);
    assert.equal(preTokenizerByName('martian'), undefined);
    assert.equal(preTokenizerByName('toString'), undefined);
  });

  test('on ASCII text the fast path splits exactly like the Unicode regexes', () => {
    const next = random(42);
    for (const name of PRE_TOKENIZER_NAMES) {
      const fast = pre(name);
      const unicode = { ...fast, asciiRegexes: fast.regexes };
      for (let trial = 0; trial < 300; trial++) {
        let text = '';
        const length = 1 + Math.floor(next() * 12);
        for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
        assert.deepEqual(preTokenize(fast, text), preTokenize(unicode, text), `${name}: ${JSON.stringify(text)}`);
      }
    }
  });

  test('llama3 splits as llama.cpp: contractions, 3-digit groups, \\s+(?!\\S)', () => {
    const llama3 = pre('llama3');
    assert.deepEqual(preTokenize(llama3, "I'LL pay 12345 now   ok\n\n  x"), ['I', "'LL", ' pay', ' ', '123', '45', ' now', '  ', ' ok', '\n\n', ' ', ' x']);
    assert.deepEqual(preTokenize(llama3, '\tfoo  '), ['\tfoo', '  ']);
  });

  test('whitespace is Unicode White_Space: U+0085 splits, U+FEFF does not', () => {
    const llama3 = pre('llama3');
    assert.deepEqual(preTokenize(llama3, 'a\u0085\u0085b'), ['a', '\u0085', '\u0085b']);
    assert.deepEqual(preTokenize(llama3, 'a\ufeff\ufeffb'), ['a', '\ufeff\ufeff', 'b']);
    // GPT-2 lets only an ASCII space lead a word, so U+3000 stays alone.
    assert.deepEqual(preTokenize(pre('gpt-2'), 'a\u3000\u3000b'), ['a', '\u3000', '\u3000', 'b']);
    assert.deepEqual(preTokenize(pre('gpt-2'), 'a\u0085\u0085 b'), ['a', '\u0085\u0085', ' b']);
  });

  test('gpt-2 leaves a lone newline before a word as its own piece', () => {
    assert.deepEqual(preTokenize(pre('gpt-2'), "hi\nthere's 42"), ['hi', '\n', 'there', "'s", ' 42']);
  });

  test('qwen2 takes digits one by one; smollm too, before the GPT-2 regex', () => {
    assert.deepEqual(preTokenize(pre('qwen2'), 'x 2024'), ['x', ' ', '2', '0', '2', '4']);
    assert.deepEqual(preTokenize(pre('smollm'), 'x 2024'), ['x', ' ', '2', '0', '2', '4']);
  });
});
