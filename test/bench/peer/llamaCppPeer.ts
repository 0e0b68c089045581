// llama.cpp as the speed peer: measureLlamaCpp runs llama.cpp (node-llama-cpp's prebuilt CPU
// binary) in a child process, so the peak RSS it reports is the child's alone, and returns prefill
// and decode speeds with the settings they were taken under. Also a CLI:
//   node --import tsx test/bench/peer/llamaCppPeer.ts --model ../shared/data/llm/stories260K.gguf \
//     [--threads 2] [--prompt-tokens 512] [--decode-tokens 128] [--decode-context 16] \
//     [--repetitions 3] [--text-file essay.txt] [--json]
// The CLI's prompt is benchPromptTokens(vocabSize, N, N) of test/bench/promptTokens.ts, the ids
// Pinpoint's own bench uses (or BOS + a text file's tokens repeated, with --text-file). Decode
// continues the prompt unless --decode-context N asks for a fresh history of N seeded ids (seed 7,
// as in test/bench/ours/measurePinpoint.ts with N = 16).

import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensurePeer } from '../../peer/ensurePeer.js';

/**
 * Where token ids come from: exact ids; `benchPromptTokens(vocabSize, length, seed)` of
 * test/bench/promptTokens.ts (what Pinpoint's side is given); or BOS + a text's ids repeated.
 */
export type TokenSource = { tokens: number[] } | { seeded: { length: number; seed: number } } | { text: string; length: number };

/** What the child is asked to measure. */
export interface MeasureRequest {
  /** GGUF file to load. */
  modelPath: string;
  /** llama.cpp n_threads and n_threads_batch. */
  threads: number;
  /** The prompt timed as prefill (one batch from an empty sequence). */
  prompt: TokenSource;
  /** Evaluated untimed from an empty sequence before the timed decode; absent: decode continues the prompt. */
  decodeContext?: TokenSource;
  /** Tokens to generate greedily, timed as decode. */
  decodeTokens: number;
  /** Timed prefill + decode runs after the warm-up; the result reports their medians. */
  repetitions: number;
}

/** One timed run: prefill of the prompt from an empty sequence, then decode after it. */
export interface MeasureSample {
  /** Prompt tokens / wall-clock seconds of evaluating them as one batch (ubatch = batchSize). */
  prefillTokensPerSecond: number;
  /** Generated tokens / wall-clock seconds of generating them, one llama_decode each, after the prompt. */
  decodeTokensPerSecond: number;
  /** The same two rates from llama.cpp's own counters (llama_perf_context), without node-llama-cpp's JS glue; null if not reported. */
  llamaCppPerf: { prefillTokensPerSecond: number | null; decodeTokensPerSecond: number | null };
}

/** One llama.cpp measurement: the medians of its samples (tokens per second); warm-up is never timed. */
export interface MeasureResult extends MeasureSample {
  /** Every timed run, in order. */
  samples: MeasureSample[];
  /** VmHWM of the child at the end: Node + the addon + model + context. */
  peakRssBytes: number;
  /** VmRSS of the child after loading the addon, before the model: Node's and the addon's share of the peak. */
  baselineRssBytes: number;
  threads: number;
  /** KV cache type of keys and values. */
  kvCacheType: string;
  flashAttention: boolean;
  /** n_batch = n_ubatch. */
  batchSize: number;
  contextSize: number;
  promptTokens: number;
  /** Tokens in the KV cache when the timed decode starts. */
  decodeContextTokens: number;
  decodeTokens: number;
  /** libuv worker threads in the child (see CHILD_UV_THREADPOOL_SIZE). */
  uvThreadpoolSize: number;
  /** e.g. "ggml-org/llama.cpp@v0.5.0". */
  llamaCppVersion: string;
  nodeLlamaCppVersion: string;
}

/** Options of measureLlamaCpp. */
export interface MeasureLlamaCppOptions {
  modelPath: string;
  threads: number;
  /** Exact prompt ids, BOS included if wanted; timed as prefill. */
  promptTokens: number[];
  /** Tokens generated greedily, timed as decode. */
  decodeTokens: number;
  /** Ids evaluated before the timed decode instead of the prompt (e.g. a 16-token history). Default: decode continues the prompt. */
  decodeContextTokens?: number[];
  /** Timed runs whose medians are reported. Default 3. */
  repetitions?: number;
}

/**
 * libuv workers in the child. node-llama-cpp runs each llama_decode on a libuv worker; with
 * libuv's default of 4 on this 2-core machine, decode with threads = 2 took ~13 ms per token on
 * stories260K instead of ~1 ms (each decode spawns llama.cpp's threads afresh, and they lost the
 * CPU to idle-spinning workers). One worker is enough: the child evaluates one sequence at a time.
 */
const CHILD_UV_THREADPOOL_SIZE = 1;

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Runs one request in a fresh child process (installing the peer first if needed). */
export async function runPeerChild(request: MeasureRequest): Promise<MeasureResult> {
  ensurePeer();
  const child = fork(fileURLToPath(new URL('./llamaCppChild.ts', import.meta.url)), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, UV_THREADPOOL_SIZE: String(CHILD_UV_THREADPOOL_SIZE) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    child.once('message', (message: { ok: true; result: MeasureResult } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolvePromise(message.result);
      else reject(new Error(`llama.cpp peer failed: ${message.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`llama.cpp peer exited with ${signal ?? `code ${code}`} before answering`));
    });
    child.send(request);
  });
}

/** Measures llama.cpp prefill and decode speed and peak RSS for exact prompt ids, in a child process. */
export async function measureLlamaCpp(options: MeasureLlamaCppOptions): Promise<MeasureResult> {
  if (options.promptTokens.length === 0) throw new Error('promptTokens is empty: prefill needs at least one token');
  if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error(`threads must be a positive integer, got ${options.threads}`);
  const { modelPath, threads, promptTokens, decodeTokens, decodeContextTokens, repetitions = 3 } = options;
  const decodeContext = decodeContextTokens ? { decodeContext: { tokens: decodeContextTokens } } : {};
  return runPeerChild({ modelPath, threads, prompt: { tokens: promptTokens }, ...decodeContext, decodeTokens, repetitions });
}

// ---- CLI

/** Seed of the decode history in test/bench/ours/measurePinpoint.ts. */
const DECODE_CONTEXT_SEED = 7;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      threads: { type: 'string', default: '2' },
      'prompt-tokens': { type: 'string', default: '512' },
      'decode-tokens': { type: 'string', default: '128' },
      'decode-context': { type: 'string' },
      repetitions: { type: 'string', default: '3' },
      'text-file': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.model) throw new Error('--model <file.gguf> is required');
  const length = Number(values['prompt-tokens']);
  const textFile = values['text-file'];
  const decodeContextLength = values['decode-context'];
  const result = await runPeerChild({
    modelPath: resolve(values.model),
    threads: Number(values.threads),
    prompt: textFile ? { text: readFileSync(textFile, 'utf8'), length } : { seeded: { length, seed: length } },
    ...(decodeContextLength ? { decodeContext: { seeded: { length: Number(decodeContextLength), seed: DECODE_CONTEXT_SEED } } } : {}),
    decodeTokens: Number(values['decode-tokens']),
    repetitions: Number(values.repetitions),
  });
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const rate = (value: number | null) => (value === null ? 'n/a' : value.toFixed(1));
  console.log(`llama.cpp ${result.llamaCppVersion} (node-llama-cpp ${result.nodeLlamaCppVersion}), threads ${result.threads}, ` +
    `KV ${result.kvCacheType}, flash attention ${result.flashAttention}, batch ${result.batchSize}`);
  console.log(`medians of ${result.samples.length} runs after a warm-up:`);
  console.log(`prefill ${result.promptTokens} tokens: ${rate(result.prefillTokensPerSecond)} tok/s ` +
    `(llama_perf ${rate(result.llamaCppPerf.prefillTokensPerSecond)})`);
  console.log(`decode ${result.decodeTokens} tokens after ${result.decodeContextTokens}: ${rate(result.decodeTokensPerSecond)} tok/s ` +
    `(llama_perf ${rate(result.llamaCppPerf.decodeTokensPerSecond)})`);
  console.log(`peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(1)} MiB (baseline before the model ${(result.baselineRssBytes / 2 ** 20).toFixed(1)} MiB)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
