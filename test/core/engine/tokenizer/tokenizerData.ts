// Shared test data for the tokenizer tests: the llama.cpp vocab GGUFs with their .inp/.out cases,
// and the Llama 3 / Qwen3 tokenizer.json files, all read from ../shared/data (see its README).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { FileByteSource } from '../../../../core/base/node/fileByteSource.js';
import { readGguf } from '../../../../core/engine/common/gguf/ggufReader.js';
import type { GgufMetadata } from '../../../../core/engine/common/gguf/ggufValues.js';
import { tokenizerFromGguf, tokenizerFromHuggingFace, type Tokenizer } from '../../../../core/engine/common/tokenizer/index.js';

/** ../shared/data, relative to the repository root. */
export const DATA = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
export const VOCAB_DIR = join(DATA, 'tokenizers/llama.cpp-vocab');

/** One test-tokenizer-0 case: the input text and the ids llama.cpp must produce. */
export interface VocabCase {
  readonly index: number;
  readonly text: string;
  readonly ids: readonly number[];
}

/** The cases of ggml-vocab-<name>.gguf.inp/.out, read the way llama.cpp's test-tokenizer-0 reads them. */
export function vocabCases(name: string): VocabCase[] {
  const raw = readFileSync(join(VOCAB_DIR, `ggml-vocab-${name}.gguf.inp`), 'utf8');
  const separator = '\n__ggml_vocab_test__\n';
  const texts: string[] = [];
  for (let pos = 0; pos < raw.length; ) {
    const next = raw.indexOf(separator, pos);
    texts.push(next < 0 ? raw.slice(pos) : raw.slice(pos, next));
    pos = next < 0 ? raw.length : next + separator.length;
  }
  const lines = readFileSync(join(VOCAB_DIR, `ggml-vocab-${name}.gguf.out`), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== texts.length) throw new Error(`${name}: ${texts.length} inputs but ${lines.length} outputs`);
  return texts.map((text, index) => {
    const line = lines[index].trim();
    return { index, text, ids: line === '' ? [] : line.split(' ').map(Number) };
  });
}

/** The metadata of a GGUF file (its handle closed again). */
export async function ggufMetadata(path: string): Promise<GgufMetadata> {
  const source = await FileByteSource.open(path);
  try {
    return (await readGguf(source)).metadata;
  } finally {
    await source.close();
  }
}

const loaded = new Map<string, Promise<Tokenizer>>();

/** The tokenizer of ggml-vocab-<name>.gguf (loaded once per test file). */
export function vocabTokenizer(name: string): Promise<Tokenizer> {
  const key = `gguf:${name}`;
  if (!loaded.has(key)) loaded.set(key, ggufMetadata(join(VOCAB_DIR, `ggml-vocab-${name}.gguf`)).then(tokenizerFromGguf));
  return loaded.get(key)!;
}

/** Parsed tokenizer.json (gunzipped) and tokenizer_config.json of tokenizers/<model>/. */
export function huggingFaceFiles(model: 'llama3' | 'qwen3'): { json: unknown; config: unknown } {
  const dir = join(DATA, 'tokenizers', model);
  return {
    json: JSON.parse(gunzipSync(readFileSync(join(dir, 'tokenizer.json.gz'))).toString('utf8')),
    config: JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')),
  };
}

/** The tokenizer of tokenizers/<model>/tokenizer.json with its config (loaded once per test file). */
export function huggingFaceTokenizer(model: 'llama3' | 'qwen3'): Promise<Tokenizer> {
  const key = `hf:${model}`;
  if (!loaded.has(key)) {
    loaded.set(key, Promise.resolve().then(() => {
      const { json, config } = huggingFaceFiles(model);
      return tokenizerFromHuggingFace(json, config, `${model}/tokenizer.json`);
    }));
  }
  return loaded.get(key)!;
}
