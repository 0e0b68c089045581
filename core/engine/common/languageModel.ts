// A loaded language model and its one conversation state: weights and KV cache on a backend,
// the tokens already in the cache (reused when the next prompt starts with them), prefill in
// batches and a decode loop that streams text deltas with stop tokens, stop strings, max tokens,
// cancellation and stats.

import { ErrorReason, ExpectedError, ArgumentError } from '../../base/common/errors.js';
import type { Backend, DeviceKvCache } from './backend.js';
import { createRunState, forward, runStateBytes, type LogitsWanted, type RunState } from './forward.js';
import { fullKvLayout, kvCacheBytes, type KvCacheLayout, type KvType } from './kvCache.js';
import type { ModelConfig, TensorRef } from './modelConfig.js';
import { createSampler, type SamplingOptions } from './sampling/sampler.js';
import { StopStringMatcher } from './stopStrings.js';
import type { Tokenizer } from './tokenizer/tokenizer.js';
import { uploadWeights, type ModelWeights } from './weights.js';

export interface LoadOptions {
  /** Positions the KV cache holds; default min(model context, 4096). */
  readonly contextLength?: number;
  /**
   * Tokens per prefill batch; default 512 (as llama.cpp's n_ubatch), less on a backend that bounds
   * its scratch (`Backend.scratchShare`), never below MIN_DEFAULT_BATCH.
   */
  readonly batchSize?: number;
  /** Element type of the KV cache; default f16 (as llama.cpp). */
  readonly kvType?: KvType;
  readonly signal?: AbortSignal;
}

export interface GenerateOptions {
  /** Tokens to generate at most; default 256. */
  readonly maxTokens?: number;
  readonly sampling?: Partial<SamplingOptions>;
  /** Text that ends generation (not included in the output). */
  readonly stopStrings?: readonly string[];
  /** Token ids that end generation besides the model's end-of-generation tokens. */
  readonly stopTokens?: readonly number[];
  /** Stops generation; the result then has stopReason "cancelled". */
  readonly signal?: AbortSignal;
}

export type StopReason = 'end-of-generation' | 'stop-string' | 'max-tokens' | 'context-full' | 'cancelled';

export interface GenerationStats {
  readonly promptTokens: number;
  /** Prompt tokens found in the cache from the previous call and not evaluated again. */
  readonly reusedTokens: number;
  readonly generatedTokens: number;
  readonly prefillMs: number;
  readonly decodeMs: number;
  readonly prefillTokensPerSecond: number;
  readonly decodeTokensPerSecond: number;
  readonly weightBytes: number;
  readonly kvCacheBytes: number;
  readonly backend: string;
  readonly threads: number;
}

export interface GenerationResult {
  /** The completion (stop string excluded). */
  readonly text: string;
  /** Completion token ids, the stop token included if one ended generation. */
  readonly tokens: readonly number[];
  readonly stopReason: StopReason;
  readonly stats: GenerationStats;
}

/** One streamed piece of a completion. */
export interface TextDelta {
  readonly text: string;
  /** Tokens whose text this delta completes. */
  readonly tokens: readonly number[];
}

/** The parts of a model file the engine runs. */
export interface ModelParts {
  readonly path: string;
  readonly config: ModelConfig;
  readonly tensors: ReadonlyMap<string, TensorRef>;
  readonly tokenizer: Tokenizer;
  readonly chatTemplate: string | undefined;
}

export class LanguageModel {
  /** Token ids whose keys and values are in the cache, in order. */
  private cached: number[] = [];
  private busy = false;

  private constructor(
    readonly parts: ModelParts,
    readonly backend: Backend,
    private readonly weights: ModelWeights,
    private readonly state: RunState,
    private readonly cache: DeviceKvCache,
    /** Positions the cache holds. */
    readonly contextLength: number,
  ) {}

  get config(): ModelConfig {
    return this.parts.config;
  }

  get tokenizer(): Tokenizer {
    return this.parts.tokenizer;
  }

  /** Uploads the weights to `backend` and allocates the KV cache and scratch once. */
  static async load(parts: ModelParts, backend: Backend, options: LoadOptions = {}): Promise<LanguageModel> {
    const config = parts.config;
    const contextLength = options.contextLength ?? Math.min(config.contextLength, 4096);
    if (!Number.isInteger(contextLength) || contextLength < 1 || contextLength > config.contextLength) {
      throw new ArgumentError(`Invalid context length: ${contextLength}. Should be an integer from 1 to ${config.contextLength} (the model's).`);
    }
    const layout = fullKvLayout(config.nLayers, config.nKvHeads, config.headDim, contextLength, options.kvType ?? 'f16', config.nHeads / config.nKvHeads);
    const batchSize = options.batchSize ?? defaultBatchSize(backend, parts, layout);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 8192) {
      throw new ArgumentError(`Invalid batch size: ${batchSize}. Should be an integer from 1 to 8192.`);
    }
    backend.checkFits?.(parts.tensors.values(), layout); // refuse a model too large before the first upload
    const weights = await uploadWeights(backend, config, parts.tensors, parts.path, options.signal);
    const state = createRunState(backend, config, Math.min(batchSize, contextLength));
    const cache = backend.createKvCache(layout);
    return new LanguageModel(parts, backend, weights, state, cache, contextLength);
  }

  /**
   * Puts `tokens` in the cache (reusing the longest cached prefix) and returns the logits of the
   * last token, or of every newly evaluated token with `wanted: 'all'`. With `topK`, only the k
   * best logits of the last token are real (see forward), when the backend computes top-k.
   */
  async evaluate(tokens: readonly number[], wanted: LogitsWanted = 'last', signal?: AbortSignal, topK?: number): Promise<{ logits: Float32Array | undefined; reused: number }> {
    if (tokens.length === 0) throw new ArgumentError('Cannot evaluate an empty prompt.');
    if (tokens.length > this.contextLength) {
      throw new ExpectedError(ErrorReason.Limit, `The prompt has ${tokens.length} tokens but the context holds ${this.contextLength}; shorten it or load the model with a longer context.`);
    }
    let reused = 0;
    while (reused < this.cached.length && reused < tokens.length && this.cached[reused] === tokens[reused]) reused++;
    if (reused === tokens.length || wanted === 'all') reused = wanted === 'all' ? 0 : tokens.length - 1;
    this.cached.length = reused;
    let logits: Float32Array | undefined;
    const parts: Float32Array[] = [];
    for (let start = reused; start < tokens.length; start += this.state.maxBatch) {
      if (signal?.aborted) break;
      const batch = Int32Array.from(tokens.slice(start, start + this.state.maxBatch));
      const last = start + batch.length === tokens.length;
      const want: LogitsWanted = wanted === 'all' ? 'all' : last && wanted === 'last' ? 'last' : 'none';
      logits = await forward(this.backend, this.config, this.weights, this.state, this.cache, batch, start, { wanted: want, topK });
      this.cached.push(...batch);
      if (wanted === 'all' && logits) parts.push(logits);
    }
    if (wanted === 'all') logits = concat(parts);
    return { logits, reused };
  }

  /** Forgets the cached tokens: the next prompt is evaluated from its first token. */
  resetCache(): void {
    this.cached.length = 0;
  }

  /** Token ids currently in the KV cache. */
  get cachedTokens(): readonly number[] {
    return this.cached;
  }

  /** Streams a completion of `prompt` (token ids, BOS included if wanted). */
  generate(prompt: readonly number[], options: GenerateOptions = {}): Generation {
    if (this.busy) throw new ExpectedError(ErrorReason.Limit, 'The model is already generating; wait for it or cancel it first.');
    return new Generation(this, prompt, options);
  }

  /** @internal used by Generation */
  async *run(prompt: readonly number[], options: GenerateOptions, done: (r: GenerationResult) => void): AsyncGenerator<TextDelta> {
    const maxTokens = options.maxTokens ?? 256;
    if (!Number.isInteger(maxTokens) || maxTokens < 0) throw new ArgumentError(`Invalid max tokens: ${maxTokens}. Should be an integer >= 0.`);
    const sampler = createSampler(options.sampling);
    const stopTokens = new Set([...this.tokenizer.eogIds, ...(options.stopTokens ?? [])]);
    const stops = new StopStringMatcher(options.stopStrings ?? []);
    const decoder = this.tokenizer.createStreamDecoder({ skipSpecial: true });
    const history = [...prompt];
    const tokens: number[] = [];
    let text = '';
    let stopReason: StopReason = 'max-tokens';
    this.busy = true;
    const t0 = performance.now();
    let prefillMs = 0, reused = 0;
    try {
      const topK = sampler.candidatesNeeded; // a GPU then reads back only these logits
      const first = await this.evaluate(prompt, 'last', options.signal, topK);
      reused = first.reused;
      prefillMs = performance.now() - t0;
      let logits = first.logits;
      let pending: number[] = [];
      for (;;) {
        if (options.signal?.aborted || !logits) { stopReason = 'cancelled'; break; }
        if (tokens.length >= maxTokens) { stopReason = 'max-tokens'; break; }
        const id = sampler.sample(logits, history);
        tokens.push(id);
        history.push(id);
        pending.push(id);
        if (stopTokens.has(id)) { stopReason = 'end-of-generation'; break; }
        const { emit, stopped } = stops.push(decoder.push(id));
        if (emit) {
          text += emit;
          yield { text: emit, tokens: pending };
          pending = [];
        }
        if (stopped) { stopReason = 'stop-string'; break; }
        if (tokens.length >= maxTokens) { stopReason = 'max-tokens'; break; }
        if (history.length >= this.contextLength) { stopReason = 'context-full'; break; }
        logits = (await this.evaluate(history, 'last', options.signal, topK)).logits;
      }
      if (stopReason !== 'stop-string') {
        const rest = stops.push(decoder.flush()).emit + stops.flush();
        if (rest) {
          text += rest;
          yield { text: rest, tokens: pending };
        }
      }
    } finally {
      sampler.dispose();
      this.busy = false;
    }
    const decodeMs = performance.now() - t0 - prefillMs;
    const memory = this.backend.memory();
    const evaluated = prompt.length - reused;
    done({
      text, tokens, stopReason,
      stats: {
        promptTokens: prompt.length, reusedTokens: reused, generatedTokens: tokens.length, prefillMs, decodeMs,
        prefillTokensPerSecond: prefillMs > 0 ? (evaluated * 1000) / prefillMs : 0,
        decodeTokensPerSecond: decodeMs > 0 && tokens.length > 1 ? ((tokens.length - 1) * 1000) / decodeMs : 0,
        weightBytes: memory.weightBytes, kvCacheBytes: memory.kvCacheBytes, backend: this.backend.name, threads: this.backend.threads,
      },
    });
  }

  async dispose(): Promise<void> {
    await this.backend.dispose();
  }
}

/** llama.cpp's n_ubatch: the default batch, and the most a default ever asks for. */
const DEFAULT_BATCH = 512;
/** The smallest default batch: below it prefill would lose the tiled matmul's reuse. */
const MIN_DEFAULT_BATCH = 32;

/**
 * DEFAULT_BATCH, or on a backend with a scratch share the largest batch whose scratch stays within
 * that share of the weights (as stored) plus the KV cache, from MIN_DEFAULT_BATCH up.
 */
function defaultBatchSize(backend: Backend, parts: ModelParts, kv: KvCacheLayout): number {
  if (backend.scratchShare === undefined) return DEFAULT_BATCH;
  let modelBytes = kvCacheBytes(kv);
  for (const ref of parts.tensors.values()) modelBytes += ref.byteLength;
  const { perToken, fixed } = runStateBytes(parts.config);
  const fits = Math.floor((backend.scratchShare * modelBytes - fixed) / perToken);
  return Math.max(MIN_DEFAULT_BATCH, Math.min(DEFAULT_BATCH, fits));
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A completion in progress: iterate it for text deltas; `result()` gives text, tokens and stats. */
export class Generation implements AsyncIterable<TextDelta> {
  private readonly iterator: AsyncGenerator<TextDelta>;
  private final: GenerationResult | undefined;

  constructor(model: LanguageModel, prompt: readonly number[], options: GenerateOptions) {
    this.iterator = model.run(prompt, options, (r) => (this.final = r));
  }

  [Symbol.asyncIterator](): AsyncIterator<TextDelta> {
    return this.iterator;
  }

  /** Runs the generation to its end (if not iterated yet) and returns the result. */
  async result(): Promise<GenerationResult> {
    for await (const _ of this.iterator);
    if (!this.final) throw new ExpectedError(ErrorReason.Cancelled, 'generation ended without a result');
    return this.final;
  }
}
