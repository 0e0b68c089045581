// Ids produced by llama.cpp itself (fixtures/llamaCppIds.json, made by generateLlamaCppIds.ts with
// node-llama-cpp's prebuilt llama.cpp) for 135 varied strings per vocabulary: random mixes of
// scripts, emoji, odd whitespace and special-token texts, and essay excerpts. Each must encode to
// the same ids with parse_special off and on, and those ids must detokenize to the same text.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Tokenizer } from '../../../../core/engine/common/tokenizer/index.js';
import { huggingFaceTokenizer, vocabTokenizer } from './tokenizerData.js';

interface Fixture {
  readonly texts: readonly string[];
  readonly vocabs: Readonly<Record<string, { plain: number[][]; special: number[][]; decoded: string[] }>>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/llamaCppIds.json', import.meta.url), 'utf8')) as Fixture;

const LOADERS: Readonly<Record<string, () => Promise<Tokenizer>>> = {
  'llama-spm': () => vocabTokenizer('llama-spm'),
  'phi-3': () => vocabTokenizer('phi-3'),
  'gpt-2': () => vocabTokenizer('gpt-2'),
  'bert-bge': () => vocabTokenizer('bert-bge'),
  llama3: () => huggingFaceTokenizer('llama3'),
  qwen3: () => huggingFaceTokenizer('qwen3'),
};

for (const [name, expected] of Object.entries(fixture.vocabs)) {
  describe(`llama.cpp ids for ${name}`, async () => {
    const tokenizer = await LOADERS[name]();
    fixture.texts.forEach((text, i) => {
      // Llama 2's vocabulary has a token that is just U+FEFF: the GGUF reader must keep it.
      test(`text ${i}: ${JSON.stringify(text).slice(0, 50)}`, () => {
        assert.deepEqual(tokenizer.encode(text), expected.plain[i], 'parse_special = false');
        assert.deepEqual(tokenizer.encode(text, { parseSpecial: true }), expected.special[i], 'parse_special = true');
        assert.equal(tokenizer.decode(expected.special[i]), expected.decoded[i], 'detokenize');
      });
    });
  });
}
