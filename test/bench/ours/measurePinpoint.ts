// Measures Pinpoint's engine on one model in a process of its own (so its peak RSS is its own):
// prefill of N prompt tokens for each N asked, then greedy decode of M tokens, all timed after a
// warm-up; prompts up to 1024 tokens and the decode are timed three times and the median kept. Run: node --import tsx test/bench/ours/measurePinpoint.ts MODEL THREADS PROMPTS DECODE
// (PROMPTS comma-separated); prints one JSON object. Prompt tokens are a seeded pseudo-random
// sequence of ordinary vocabulary ids, the same the peer is given.

import { readFileSync } from 'node:fs';
import { loadLanguageModel } from '../../../core/engine/node/loadLanguageModel.js';
import { chooseKernelVariant } from '../../../core/engine/node/cpu/wasmKernels.js';
import { benchPromptTokens } from '../promptTokens.js';

/** Peak resident set of this process in bytes (VmHWM). */
export function peakRssBytes(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/** The median of `runs` results of `fn`. */
async function median(runs: number, fn: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await fn());
  return values.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function measure(modelPath: string, threads: number, prompts: number[], decode: number): Promise<object> {
  const longest = Math.max(...prompts, 16);
  const loaded = await loadLanguageModel(modelPath, { threads, contextLength: Math.max(longest, 16 + decode + 1), batchSize: 512 });
  const { model } = loaded;
  const vocab = model.config.vocabSize;
  // warm-up: every kernel runs and tiers up before timing
  await model.evaluate(benchPromptTokens(vocab, 64, 99));
  for (let i = 0; i < 4; i++) await model.evaluate(benchPromptTokens(vocab, 65 + i, 99));

  const prefill: Record<string, number> = {};
  for (const n of prompts) {
    const tokens = benchPromptTokens(vocab, n, n);
    prefill[n] = await median(n <= 1024 ? 3 : 1, async () => {
      model.resetCache();
      const t0 = performance.now();
      await model.evaluate(tokens);
      return (n * 1000) / (performance.now() - t0);
    });
  }
  const decodeTokensPerSecond = await median(3, async () => {
    const history = benchPromptTokens(vocab, 16, 7);
    model.resetCache();
    let logits = (await model.evaluate(history)).logits!;
    const t0 = performance.now();
    for (let i = 0; i < decode; i++) {
      history.push(argmax(logits));
      logits = (await model.evaluate(history)).logits!;
    }
    return (decode * 1000) / (performance.now() - t0);
  });
  const memory = model.backend.memory();
  await loaded.dispose();
  return { prefillTokensPerSecond: prefill, decodeTokensPerSecond, peakRssBytes: peakRssBytes(), threads, cpuKernels: chooseKernelVariant(), ...memory };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [modelPath, threads, prompts, decode] = process.argv.slice(2);
  const result = await measure(modelPath, Number(threads), prompts.split(',').map(Number), Number(decode));
  process.stdout.write(JSON.stringify(result) + '\n');
}
