// The answer pipeline: question -> hybrid retrieval -> context within the model's budget ->
// prompt with numbered sources -> streamed answer -> citations resolved to file and line. An
// answer is an async iterable of events (phases with their times, the sources once chosen, text
// deltas) with a result at the end; the signal cancels whichever stage is running, and a
// cancelled answer still gives a result, marked cancelled, with what it had.

import { ArgumentError } from '../../base/common/errors.js';
import type { SearchResult } from '../../rag/search/common/types.js';
import { emptyReport, preparePrompt, promptBudget, type PreparedPrompt, type PromptBudget } from './answerContext.js';
import type { AnswerPrompts } from './answerPrompt.js';
import type { AnswerEvent, AnswerPhase, AnswerResult, AnswerTimings } from './answerTypes.js';
import type { ChatModel, ChatResult } from './chatModel.js';
import { resolveCitations } from './citations.js';
import { retrievalQuery, type ConversationTurn } from './conversation.js';
import type { PassageChunk } from './joinChunks.js';

/** What the pipeline needs of an index: a search, and every chunk of some files. */
export interface AnswerRetrieval {
  /** The `k` best results for `query` (hybrid where the index can), merged and ranked. */
  search(query: string, options: { readonly k: number; readonly signal?: AbortSignal }): Promise<readonly SearchResult[]>;
  /** All stored chunks of the given files. */
  readChunks(files: readonly { readonly root: string; readonly path: string }[], signal?: AbortSignal): Promise<readonly PassageChunk[]>;
}

/** Options of one question; all optional. */
export interface AskOptions {
  /** Retrieval results to consider. Default 10. */
  readonly k?: number;
  /** Tokens reserved for the answer, and its limit. Default: `answerShare` of the context. */
  readonly maxTokens?: number;
  /** Share of the context reserved for the answer when `maxTokens` is not given. Default 0.25. */
  readonly answerShare?: number;
  /** Tokens of context to fill, prompt and answer (capped at the model's). Default: the model's. */
  readonly contextLength?: number;
  /** Share of the prompt budget that earlier turns may take. Default 0.25. */
  readonly historyShare?: number;
  /** Chunks added on each side of a result whose file does not fit whole. Default 1. */
  readonly neighbours?: number;
  /** Put files in whole when they fit. Default true. */
  readonly wholeFiles?: boolean;
  /** Earlier turns of the conversation, oldest first. Default none. */
  readonly history?: readonly ConversationTurn[];
  /** Sampling temperature. Default: the model's. */
  readonly temperature?: number;
  /** Random seed. Default: random. */
  readonly seed?: number;
  /** Cancels retrieval, context building, prefill or decoding, whichever runs. */
  readonly signal?: AbortSignal;
  /** Called once with the result (cancelled ones too) before `result()` resolves. */
  readonly onResult?: (result: AnswerResult) => void;
}

/** An answer in progress: iterate it for events; `result()` runs it to its end. */
export class Answer implements AsyncIterable<AnswerEvent> {
  private final: AnswerResult | undefined;
  private readonly iterator: AsyncGenerator<AnswerEvent>;

  /** @internal made by Assistant.ask */
  constructor(run: (finish: (result: AnswerResult) => void) => AsyncGenerator<AnswerEvent>) {
    this.iterator = run((result) => (this.final ??= result));
  }

  [Symbol.asyncIterator](): AsyncIterator<AnswerEvent> {
    return this.iterator;
  }

  /** The result, running the answer to its end if it was not iterated. Call it after the loop, not during it. */
  async result(): Promise<AnswerResult> {
    for await (const _ of this.iterator);
    return this.final!;
  }
}

/** What one answer has gathered, for its result at any stage. */
class Progress {
  readonly started = performance.now();
  query = '';
  retrievalMs = 0;
  contextMs = 0;
  prompt: PreparedPrompt | undefined;
  text = '';
  chat: ChatResult | undefined;

  constructor(
    readonly question: string,
    readonly model: ChatModel,
    readonly budget: PromptBudget,
  ) {}

  elapsed(): number {
    return performance.now() - this.started;
  }

  timings(): AnswerTimings {
    const totalMs = this.elapsed();
    const stats = this.chat?.stats;
    const decodeMs = stats?.decodeMs ?? 0;
    return {
      retrievalMs: this.retrievalMs, contextMs: this.contextMs, prefillMs: stats?.prefillMs, firstTokenMs: stats?.firstTokenMs,
      decodeMs, totalMs, overheadMs: Math.max(0, totalMs - (stats?.prefillMs ?? 0) - decodeMs),
    };
  }

  result(cancelled: boolean): AnswerResult {
    const sources = this.prompt?.sources ?? [];
    const answer = this.chat?.text ?? this.text;
    return {
      question: this.question, query: this.query, answer,
      stopReason: cancelled ? 'cancelled' : this.chat!.stopReason,
      cancelled,
      sources, citations: resolveCitations(answer, sources),
      context: this.prompt?.report ?? emptyReport(this.model, this.budget),
      timings: this.timings(), ...(this.chat ? { stats: this.chat.stats } : {}), model: this.model.id,
    };
  }
}

/** Distinct files of results, in rank order. */
function filesOf(results: readonly SearchResult[]): { root: string; path: string }[] {
  const seen = new Map<string, { root: string; path: string }>();
  for (const r of results) seen.set(`${r.root}\u0000${r.path}`, { root: r.root, path: r.path });
  return [...seen.values()];
}

/** Answers questions about an index with a chat model. */
export class Assistant {
  constructor(
    readonly model: ChatModel,
    readonly retrieval: AnswerRetrieval,
    readonly prompts: AnswerPrompts,
  ) {}

  /**
   * Starts answering `question`. Bad options throw an ArgumentError at once; the work starts when
   * the answer is first iterated (or `result()` is called).
   */
  ask(question: string, options: AskOptions = {}): Answer {
    if (question.trim() === '') throw new ArgumentError('The question is empty. Ask something about the indexed files.');
    const k = options.k ?? 10;
    if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`Invalid k: ${k}. Should be a positive integer (results to retrieve).`);
    const budget = promptBudget(this.model, options);
    return new Answer((finish) => this.run(new Progress(question, this.model, budget), { ...options, k }, finish));
  }

  private async *run(progress: Progress, options: AskOptions & { k: number }, finish: (result: AnswerResult) => void): AsyncGenerator<AnswerEvent> {
    const { signal } = options;
    const phase = (name: AnswerPhase): AnswerEvent => ({ type: 'phase', phase: name, elapsedMs: progress.elapsed() });
    let failed = false;
    try {
      yield phase('retrieving');
      const history = options.history ?? [];
      progress.query = retrievalQuery(progress.question, history);
      const results = await this.retrieval.search(progress.query, { k: options.k, signal });
      progress.retrievalMs = progress.elapsed();
      if (signal?.aborted) return;

      yield phase('building-context');
      const chunks = results.length > 0 ? await this.retrieval.readChunks(filesOf(results), signal) : [];
      progress.prompt = preparePrompt({
        model: this.model, prompts: this.prompts, question: progress.question, history, results, chunks, budget: progress.budget,
        historyShare: options.historyShare, neighbours: options.neighbours, wholeFiles: options.wholeFiles, signal,
      });
      progress.contextMs = progress.elapsed() - progress.retrievalMs;
      yield { type: 'context', sources: progress.prompt.sources, context: progress.prompt.report };
      if (signal?.aborted) return;

      yield phase('prefill');
      const generation = this.model.generate(progress.prompt.messages, {
        maxTokens: progress.budget.reservedForAnswer, temperature: options.temperature, seed: options.seed, signal,
      });
      let first = true;
      for await (const delta of generation) {
        if (first) yield phase('generating');
        first = false;
        progress.text += delta.text;
        yield { type: 'delta', text: delta.text };
      }
      progress.chat = await generation.result();
    } catch (error) {
      // Whatever a stage throws once the signal fired is its way of stopping.
      failed = !signal?.aborted;
      if (failed) throw error;
    } finally {
      // Ending without the model's result means the signal fired or the caller left the loop.
      if (!failed) {
        const result = progress.result(progress.chat === undefined || progress.chat.stopReason === 'cancelled');
        finish(result);
        options.onResult?.(result);
      }
    }
  }
}
