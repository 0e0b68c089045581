// The child process of the llama.cpp speed peer: receives one MeasureRequest over IPC, loads
// the model through node-llama-cpp, times prefill and decode after a warm-up, reads its own peak
// RSS from /proc/self/status and sends back one MeasureResult. Started by llamaCppPeer.ts only,
// so the memory it reports is llama.cpp's and Node's, never the parent's.

import { readFileSync } from 'node:fs';
import type { LlamaContext, LlamaContextSequence, LlamaModel } from '../../peer/nodeLlamaCpp.js';
import { loadPeer, openContext, PEER_SETTINGS } from '../../peer/nodeLlamaCpp.js';
import { benchPromptTokens } from '../promptTokens.js';
import type { MeasureRequest, MeasureResult, MeasureSample, TokenSource } from './llamaCppPeer.js';

/** Warm-up length: one short batch and a few decodes, so first-call allocations are not timed. */
const WARM_UP_PROMPT = 32;
const WARM_UP_DECODE = 4;

/** A `VmHWM:` or `VmRSS:` line of /proc/self/status, in bytes. */
function procStatusBytes(field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/self/status`);
  return Number(match[1]) * 1024;
}

/** The ids of a token source: given; seeded like Pinpoint's bench; or BOS + a text's ids repeated. */
function resolveTokens(model: LlamaModel, source: TokenSource): number[] {
  if ('tokens' in source) return source.tokens;
  if ('seeded' in source) {
    const vocabSize = (model.fileInfo.metadata.tokenizer?.ggml?.tokens ?? []).length;
    if (vocabSize === 0) throw new Error('the model has no tokenizer.ggml.tokens: cannot draw seeded prompt ids');
    return benchPromptTokens(vocabSize, source.seeded.length, source.seeded.seed);
  }
  const body = model.tokenize(source.text, false);
  if (body.length === 0) throw new Error('the prompt text tokenizes to nothing');
  const ids = model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? [model.tokens.bos] : [];
  while (ids.length < source.length) ids.push(...body.slice(0, source.length - ids.length));
  return ids;
}

/** Evaluates `ids` as one batch from the sequence's current end and returns the greedy next token. */
async function prefill(sequence: LlamaContextSequence, ids: number[]): Promise<number> {
  const last = ids.length - 1;
  const outputs = await sequence.controlledEvaluate(
    ids.map((id, i) => (i === last ? [id, { generateNext: { token: true, options: { temperature: 0 } } }] : id)),
  );
  const token = outputs[last]?.next.token;
  if (token === undefined || token === null) throw new Error('llama.cpp sampled no token after the prompt');
  return token;
}

/** Generates `count` tokens greedily from `first`, one llama_decode each. */
async function decode(sequence: LlamaContextSequence, first: number, count: number): Promise<void> {
  const tokens = sequence.evaluate([first], { temperature: 0, yieldEogToken: true });
  for (let generated = 0; generated < count; generated++) {
    if ((await tokens.next()).done) throw new Error(`llama.cpp stopped generating after ${generated} tokens`);
  }
  await tokens.return();
}

/** llama_perf_context_print's "<label> time = X ms / N tokens|runs" as tokens per second. */
function perfRate(log: string, label: 'prompt eval' | 'eval'): number | null {
  const match = new RegExp(`print:\\s+${label} time =\\s+([\\d.]+) ms /\\s+(\\d+) (?:tokens|runs)`).exec(log);
  return match && Number(match[1]) > 0 ? Number(match[2]) / (Number(match[1]) / 1000) : null;
}

/** Resets llama_perf counters and returns what they had collected since the last call. */
async function takePerfLog(context: LlamaContext, lines: string[]): Promise<string> {
  lines.length = 0;
  await context.printTimings();
  return lines.join('\n');
}

/** The median of the non-null values, or null when there are none. */
function medianOf(values: Array<number | null>): number | null {
  const sorted = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** What one timed run needs. */
interface RunPlan {
  sequence: LlamaContextSequence;
  context: LlamaContext;
  perfLines: string[];
  prompt: number[];
  /** Ids evaluated (untimed) before the timed decode, or null to decode right after the prompt. */
  decodeContext: number[] | null;
  decodeTokens: number;
}

/** One timed prefill of the prompt from an empty sequence, then one timed decode. */
async function measureOnce(plan: RunPlan): Promise<MeasureSample> {
  const { sequence, context, perfLines, prompt, decodeContext, decodeTokens } = plan;
  await sequence.clearHistory();
  let start = performance.now();
  let first = await prefill(sequence, prompt);
  const prefillSeconds = (performance.now() - start) / 1000;
  const prefillLog = await takePerfLog(context, perfLines);
  if (decodeContext) {
    await sequence.clearHistory();
    first = await prefill(sequence, decodeContext);
    await takePerfLog(context, perfLines);
  }
  start = performance.now();
  await decode(sequence, first, decodeTokens);
  const decodeSeconds = (performance.now() - start) / 1000;
  const decodeLog = await takePerfLog(context, perfLines);
  return {
    prefillTokensPerSecond: prompt.length / prefillSeconds,
    decodeTokensPerSecond: decodeTokens / decodeSeconds,
    llamaCppPerf: { prefillTokensPerSecond: perfRate(prefillLog, 'prompt eval'), decodeTokensPerSecond: perfRate(decodeLog, 'eval') },
  };
}

async function measure(request: MeasureRequest): Promise<MeasureResult> {
  const perfLines: string[] = [];
  const peer = await loadPeer((_level, message) => perfLines.push(message), 'info');
  const baselineRssBytes = procStatusBytes('VmRSS');
  const model = await peer.llama.loadModel({ modelPath: request.modelPath, gpuLayers: 0 });
  const prompt = resolveTokens(model, request.prompt);
  const decodeContext = request.decodeContext ? resolveTokens(model, request.decodeContext) : null;
  const longest = Math.max(prompt.length, decodeContext?.length ?? 0, WARM_UP_PROMPT);
  const context = await openContext(model, { threads: request.threads, contextSize: longest + request.decodeTokens + 1, performanceTracking: true });
  const sequence = context.getSequence();

  await decode(sequence, await prefill(sequence, prompt.slice(0, WARM_UP_PROMPT)), WARM_UP_DECODE);
  await takePerfLog(context, perfLines);
  const samples: MeasureSample[] = [];
  for (let repetition = 0; repetition < request.repetitions; repetition++) {
    samples.push(await measureOnce({ sequence, context, perfLines, prompt, decodeContext, decodeTokens: request.decodeTokens }));
  }
  const median = (pick: (sample: MeasureSample) => number | null) => medianOf(samples.map(pick));

  const result: MeasureResult = {
    prefillTokensPerSecond: median((sample) => sample.prefillTokensPerSecond) ?? 0,
    decodeTokensPerSecond: median((sample) => sample.decodeTokensPerSecond) ?? 0,
    llamaCppPerf: {
      prefillTokensPerSecond: median((sample) => sample.llamaCppPerf.prefillTokensPerSecond),
      decodeTokensPerSecond: median((sample) => sample.llamaCppPerf.decodeTokensPerSecond),
    },
    samples,
    peakRssBytes: procStatusBytes('VmHWM'),
    baselineRssBytes,
    threads: context.currentThreads,
    kvCacheType: PEER_SETTINGS.kvCacheType,
    flashAttention: context.flashAttention,
    batchSize: context.batchSize,
    contextSize: context.contextSize,
    promptTokens: prompt.length,
    decodeContextTokens: decodeContext?.length ?? prompt.length,
    decodeTokens: request.decodeTokens,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    llamaCppVersion: peer.llamaCppVersion,
    nodeLlamaCppVersion: peer.nodeLlamaCppVersion,
  };
  await context.dispose();
  await model.dispose();
  await peer.llama.dispose();
  return result;
}

process.once('message', (request: MeasureRequest) => {
  measure(request).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }, () => process.exit(1)),
  );
});
