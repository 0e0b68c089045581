// The peer's door to llama.cpp: loads node-llama-cpp from test/peer/node_modules (installed on
// demand by ensurePeer.ts, never by the root npm install), always with its prebuilt CPU binary,
// and types the small part of its API that the fixtures and the benchmark use.
//
// The import is dynamic on purpose: the root `tsc -b` checks this file too, and must pass on a
// checkout where the peer package is not installed. The interfaces below mirror node-llama-cpp
// 3.22.1 (dist/evaluator/LlamaContext/types.d.ts); widen them only together with the pinned version.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ---- Settings: one place for every knob that changes llama.cpp's numerics or speed

/** Settings of every context the peer creates; recorded in fixtures and benchmark results. */
export const PEER_SETTINGS = Object.freeze({
  /** KV cache element type for keys and values. F32 keeps attention numerics simple (default F16). */
  kvCacheType: 'F32',
  /** Flash attention off: plain mul_mat + soft_max attention (node-llama-cpp's default is "auto"). */
  flashAttention: false,
  /** Tokens per llama_decode call; node-llama-cpp sets n_batch = n_ubatch = this. Default 512. */
  batchSize: 512,
  /** Never the CUDA/Vulkan/Metal builds: only @node-llama-cpp/linux-x64 is installed. */
  gpu: false,
});

/** GGML_TYPE_F32, as node-llama-cpp reports `kvCacheKeyType` (a GgmlType number). */
const GGML_TYPE_NAMES: Record<number, string> = { 0: 'F32', 1: 'F16', 8: 'Q8_0', 2: 'Q4_0', 30: 'BF16' };

// ---- Types: the subset of node-llama-cpp 3.22.1 that the peer calls

/** What `controlledEvaluate` may return at one input index. */
export interface ControlledEvaluateOutput {
  next: { token?: number | null; logits?: Map<number, number> };
}

/** Per-token options of `controlledEvaluate`: ask for the next token and/or its logits. */
export interface GenerateNextOptions {
  token?: boolean;
  logits?: boolean | { filter: { tokens: readonly number[]; includeTop?: number } };
  options?: { temperature?: number };
}

/** One input item of `controlledEvaluate`: a token id, or a token id with what to return after it. */
export type ControlledEvaluateItem = number | [token: number, options: { generateNext?: GenerateNextOptions }];

/** A `LlamaContextSequence`: one KV cache stream inside a context. */
export interface LlamaContextSequence {
  readonly contextSize: number;
  readonly nextTokenIndex: number;
  controlledEvaluate(input: ControlledEvaluateItem[]): Promise<Array<ControlledEvaluateOutput | undefined>>;
  evaluate(tokens: number[], options: { temperature: number; yieldEogToken: boolean }): AsyncGenerator<number, void, void>;
  clearHistory(): Promise<void>;
}

/** A `LlamaContext` (llama_context): KV cache, batch and threads. */
export interface LlamaContext {
  readonly contextSize: number;
  readonly batchSize: number;
  readonly flashAttention: boolean;
  readonly kvCacheKeyType: number;
  readonly kvCacheValueType: number;
  readonly currentThreads: number;
  getSequence(): LlamaContextSequence;
  /** llama_perf_context_print + reset; needs `performanceTracking` and log level info. */
  printTimings(): Promise<void>;
  dispose(): Promise<void>;
}

/** Options of `LlamaModel.createContext` used here. */
export interface LlamaContextOptions {
  contextSize: number;
  batchSize: number;
  threads: number;
  sequences: 1;
  flashAttention: boolean;
  experimentalKvCacheKeyType: string;
  experimentalKvCacheValueType: string;
  performanceTracking: boolean;
}

/** A `LlamaModel` (llama_model + its vocab). */
export interface LlamaModel {
  readonly tokens: {
    readonly bos: number | null;
    readonly eos: number | null;
    /** llama_vocab_get_add_bos (GGUF `tokenizer.ggml.add_bos_token`, or the vocab type's default). */
    readonly shouldPrependBosToken: boolean;
    /** llama_vocab_get_add_eos. */
    readonly shouldAppendEosToken: boolean;
  };
  readonly trainContextSize: number;
  /** The GGUF header as node-llama-cpp parsed it (only the vocabulary is read here). */
  readonly fileInfo: { metadata: { tokenizer?: { ggml?: { tokens?: readonly string[] } } } };
  /** common_tokenize(vocab, text, add_special = false, parse_special = specialTokens). */
  tokenize(text: string, specialTokens?: boolean): number[];
  /** llama_detokenize of lastTokens + tokens, minus the text of lastTokens. */
  detokenize(tokens: readonly number[], specialTokens?: boolean, lastTokens?: readonly number[]): string;
  isEogToken(token: number): boolean;
  createContext(options: LlamaContextOptions): Promise<LlamaContext>;
  dispose(): Promise<void>;
}

/** The `Llama` instance returned by `getLlama`: the loaded native addon. */
export interface Llama {
  readonly gpu: string | false;
  readonly buildType: string;
  readonly llamaCppRelease: { repo: string; release: string };
  readonly systemInfo: string;
  readonly cpuMathCores: number;
  loadModel(options: { modelPath: string; gpuLayers: number }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}

interface NodeLlamaCppModule {
  getLlama(options: Record<string, unknown>): Promise<Llama>;
}

// ---- Loading

/** A log sink for llama.cpp's own messages (level is node-llama-cpp's LlamaLogLevel string). */
export type PeerLogger = (level: string, message: string) => void;

/** The loaded peer and the versions every fixture and result records. */
export interface Peer {
  llama: Llama;
  /** node-llama-cpp's package version, e.g. "3.22.1". */
  nodeLlamaCppVersion: string;
  /** llama.cpp release the prebuilt binary was built from, e.g. "ggml-org/llama.cpp@v0.5.0". */
  llamaCppVersion: string;
}

/** The peer's own install, test/peer/node_modules. */
export const PEER_NODE_MODULES = fileURLToPath(new URL('./node_modules', import.meta.url));

/**
 * Loads node-llama-cpp's prebuilt CPU binary. Never downloads, clones or compiles anything:
 * NODE_LLAMA_CPP_SKIP_DOWNLOAD is set before the module reads its config, and `build: 'never'`
 * makes getLlama throw instead of building when the prebuilt binary does not load.
 * `logLevel` defaults to "warn"; the benchmark passes "info" to receive llama_perf output.
 * `nodeModules` loads it from another copy of the install (cpuVariantCopy.ts: one ggml CPU build).
 */
export async function loadPeer(logger?: PeerLogger, logLevel = 'warn', nodeModules = PEER_NODE_MODULES): Promise<Peer> {
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true';
  process.env.NODE_LLAMA_CPP_GPU = 'false';
  const entry = join(nodeModules, 'node-llama-cpp', 'dist', 'index.js');
  let module: NodeLlamaCppModule;
  try {
    module = (await import(pathToFileURL(entry).href)) as NodeLlamaCppModule;
  } catch (error) {
    throw new Error(`node-llama-cpp is not installed in ${nodeModules}: run \`node --import tsx test/peer/ensurePeer.ts\` first`, {
      cause: error,
    });
  }
  const llama = await module.getLlama({
    gpu: false,
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    maxThreads: 0, // no cap: a context's `threads` is then the exact llama.cpp n_threads
    logLevel,
    ...(logger ? { logger } : {}),
  });
  const packageJson = JSON.parse(readFileSync(join(nodeModules, 'node-llama-cpp', 'package.json'), 'utf8'));
  const { repo, release } = llama.llamaCppRelease;
  return { llama, nodeLlamaCppVersion: packageJson.version, llamaCppVersion: `${repo}@${release}` };
}

/** Options of `openContext`. */
export interface OpenContextOptions {
  /** llama.cpp n_threads and n_threads_batch. */
  threads: number;
  /** KV cache length in tokens; generation never shifts the context, so size it for prompt + output. */
  contextSize: number;
  /** Collect llama_perf timings (printed through the logger at level info). Default false. */
  performanceTracking?: boolean;
  /** Other settings than PEER_SETTINGS, for measuring llama.cpp against itself (greedyRun.ts). */
  batchSize?: number;
  flashAttention?: boolean;
}

/** Creates one context with PEER_SETTINGS (or the options' overrides) and checks that llama.cpp took them. */
export async function openContext(model: LlamaModel, options: OpenContextOptions): Promise<LlamaContext> {
  const batchSize = options.batchSize ?? PEER_SETTINGS.batchSize;
  const flashAttention = options.flashAttention ?? PEER_SETTINGS.flashAttention;
  const context = await model.createContext({
    contextSize: options.contextSize,
    batchSize,
    threads: options.threads,
    sequences: 1,
    flashAttention,
    experimentalKvCacheKeyType: PEER_SETTINGS.kvCacheType,
    experimentalKvCacheValueType: PEER_SETTINGS.kvCacheType,
    performanceTracking: options.performanceTracking ?? false,
  });
  const kv = [context.kvCacheKeyType, context.kvCacheValueType].map((t) => GGML_TYPE_NAMES[t] ?? String(t));
  if (kv.some((t) => t !== PEER_SETTINGS.kvCacheType) || context.flashAttention !== flashAttention || context.batchSize !== batchSize) {
    await context.dispose();
    throw new Error(`llama.cpp context has KV ${kv.join('/')}, flash attention ${context.flashAttention} and batch ${context.batchSize}; ` +
      `expected ${PEER_SETTINGS.kvCacheType}, ${flashAttention} and ${batchSize}`);
  }
  return context;
}
