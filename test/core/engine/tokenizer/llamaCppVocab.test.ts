// llama.cpp's test-tokenizer-0 over the vocab-only GGUFs: every string of each .inp file must
// tokenize to the ids on the matching line of the .out file, with add_special = false and
// parse_special = false as that test calls common_tokenize.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { vocabCases, vocabTokenizer } from './tokenizerData.js';

for (const name of ['llama-spm', 'phi-3', 'gpt-2', 'bert-bge']) {
  describe(`ggml-vocab-${name}.gguf`, () => {
    for (const { index, text, ids } of vocabCases(name)) {
      test(`case ${index}: ${JSON.stringify(text).slice(0, 60)}`, async () => {
        const tokenizer = await vocabTokenizer(name);
        assert.deepEqual(tokenizer.encode(text, { addSpecial: false, parseSpecial: false }), ids);
      });
    }
  });
}
