// engine-cpu: Pinpoint's CPU engine against llama.cpp (node-llama-cpp's prebuilt CPU binary), in
// one run, with the same thread count and the same token ids: prefill tokens/s at 512 and 2048
// prompt tokens, decode tokens/s (128 tokens after a 16-token history), peak RSS. Each side runs
// in a child process of its own so its peak RSS is its own. Models are synthetic (~15M f32,
// ~100M q8_0 and q4_0, Llama shape with a 32000-token vocabulary).

import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { measureLlamaCpp, type MeasureResult } from '../peer/llamaCppPeer.js';
import { benchPromptTokens } from '../promptTokens.js';
import { syntheticModelFile } from '../syntheticFiles.js';
import type { SuiteOptions } from '../run.js';
import type { BenchTable } from '../table.js';

const PRESETS = ['m15-f32', 'm100-q8_0', 'm100-q4_0'];
const PROMPTS = [512, 2048];
const DECODE = 128;
const VOCAB = 32000;
const MiB = 2 ** 20;

interface OursResult {
  prefillTokensPerSecond: Record<string, number>;
  decodeTokensPerSecond: number;
  peakRssBytes: number;
  kvCacheBytes: number;
  weightBytes: number;
  /** Build of the CPU kernels (plain or relaxed SIMD; $PINPOINT_CPU_KERNELS forces one). */
  cpuKernels: string;
}

async function measureOurs(root: string, model: string, threads: number): Promise<OursResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/bench/ours/measurePinpoint.ts', model, String(threads), PROMPTS.join(','), String(DECODE)], { cwd: root, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as OursResult;
}

/**
 * llama.cpp's rates as its own counters report them (llama_perf: the engine alone, without
 * node-llama-cpp's JavaScript glue, which costs it up to half the time per token on small
 * models); the wall-clock rates are kept in the JSON.
 */
async function measurePeer(model: string, threads: number): Promise<{ prefill: Record<string, number>; decode: number; result: MeasureResult }> {
  const prefill: Record<string, number> = {};
  let result: MeasureResult | undefined;
  for (const n of PROMPTS) {
    const r = await measureLlamaCpp({
      modelPath: model, threads, promptTokens: benchPromptTokens(VOCAB, n, n), decodeTokens: n === PROMPTS[0] ? DECODE : 1,
      decodeContextTokens: benchPromptTokens(VOCAB, 16, 7), repetitions: n === PROMPTS[0] ? 3 : 1,
    });
    prefill[n] = r.llamaCppPerf.prefillTokensPerSecond ?? r.prefillTokensPerSecond;
    if (n === PROMPTS[0]) result = r;
  }
  return { prefill, decode: result!.llamaCppPerf.decodeTokensPerSecond ?? result!.decodeTokensPerSecond, result: result! };
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  const details: Record<string, unknown> = {};
  for (const preset of PRESETS) {
    const model = await syntheticModelFile(options.root, preset);
    const fileBytes = statSync(model).size;
    console.error(`${preset}: measuring Pinpoint...`);
    const ours = await measureOurs(options.root, model, options.threads);
    console.error(`${preset}: measuring llama.cpp...`);
    const peer = await measurePeer(model, options.threads);
    const budget = fileBytes + ours.kvCacheBytes + 200 * MiB;
    rows.push([
      preset, fileBytes / MiB,
      ...PROMPTS.flatMap((n) => [ours.prefillTokensPerSecond[n], peer.prefill[n], ours.prefillTokensPerSecond[n] / peer.prefill[n]]),
      ours.decodeTokensPerSecond, peer.decode, ours.decodeTokensPerSecond / peer.decode,
      ours.peakRssBytes / MiB, peer.result.peakRssBytes / MiB, budget / MiB, ours.peakRssBytes <= budget ? 'yes' : 'NO',
    ]);
    details[preset] = { ours, llamaCpp: peer.result, llamaCppPrefill: peer.prefill, fileBytes };
  }
  const settings = Object.values(details)[0] as { llamaCpp: MeasureResult; ours: OursResult };
  return {
    title: `CPU engine vs llama.cpp ${settings.llamaCpp.llamaCppVersion}, ${options.threads} threads`,
    columns: [
      'model', 'file MiB',
      'prefill 512 ours', 'llama.cpp', 'ratio', 'prefill 2048 ours', 'llama.cpp', 'ratio',
      'decode ours', 'llama.cpp', 'ratio', 'peak RSS ours MiB', 'llama.cpp MiB', 'budget MiB', 'within',
    ],
    rows,
    notes: [
      'Rates in tokens/s (ours: median of 3 runs, 1 for 2048; llama.cpp: median of 3, 1 for 2048, from its own llama_perf counters). Prefill: one pass over a prompt of seeded ids from an empty cache, batch 512. Decode: 128 greedy tokens after a 16-token history.',
      `llama.cpp: KV cache ${settings.llamaCpp.kvCacheType}, flash attention ${settings.llamaCpp.flashAttention}, batch ${settings.llamaCpp.batchSize}; ours: KV cache f16, batch 512, context 2048, ${settings.ours.cpuKernels} SIMD kernels.`,
      'Budget = model file + our KV cache + 200 MiB. Targets: decode >= 0.5x, prefill >= 0.3x llama.cpp.',
    ],
    details,
  };
}
