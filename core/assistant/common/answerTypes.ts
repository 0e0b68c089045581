// What an answer reports: the events a UI follows while it is made (phases, the sources once the
// context is built, text deltas), and the result: the answer, its numbered sources, its citations
// resolved, what went into the context and what was left out (and why), and the time each stage
// took (the `npm run bench -- ask` suite reads these timings).

import type { Place } from './answerPrompt.js';
import type { ChatStats, ChatStopReason } from './chatModel.js';
import type { Citation } from './citations.js';

/** The stages of an answer, in order. */
export type AnswerPhase = 'retrieving' | 'building-context' | 'prefill' | 'generating';

/** A numbered source of the prompt. */
export interface AnswerSource extends Place {
  /** Its number in the prompt: the answer cites it as [n]. */
  readonly n: number;
  /** The indexed root folder the path is relative to. */
  readonly root: string;
  readonly language: string;
  /** Best retrieval score of the results inside it. */
  readonly score: number;
  /** True when its file went in whole. */
  readonly wholeFile: boolean;
  /** Tokens of its block in the prompt. */
  readonly tokens: number;
  /** The text the model saw. */
  readonly text: string;
}

/** A source in the context report: where, how many tokens, and why in that form. */
export interface IncludedSource extends Place {
  readonly n: number;
  readonly root: string;
  readonly tokens: number;
  /** `whole-file`: the file fit; `chunks`: the best chunks with their neighbours. */
  readonly reason: 'whole-file' | 'chunks';
  /** With `chunks`: the whole file needs at least this many tokens (a lower bound: counting stops past the room left). */
  readonly wholeFileMinTokens?: number;
}

/** A retrieved passage left out of the context. */
export interface OmittedSource extends Place {
  readonly root: string;
  /** Tokens it would have taken (0 when stale). */
  readonly tokens: number;
  readonly score: number;
  /** `budget`: it did not fit; `stale`: the index changed between search and read. */
  readonly reason: 'budget' | 'stale';
}

/** What went into the prompt, against the budget. Nothing is cut silently: what did not fit is listed. */
export interface ContextReport {
  /** Tokens of the whole prompt (instructions, history, sources, question). */
  readonly tokens: number;
  /** Tokens the prompt may take: the context length minus the room reserved for the answer. */
  readonly budget: number;
  /** Tokens of context used: prompt and answer together. */
  readonly contextLength: number;
  /** Tokens reserved for the answer (its max tokens). */
  readonly reservedForAnswer: number;
  /** Tokens of the source blocks. */
  readonly sourceTokens: number;
  /** Tokens of the earlier turns kept. */
  readonly historyTokens: number;
  /** True when the counts are estimates (a remote model). */
  readonly tokensEstimated: boolean;
  readonly included: readonly IncludedSource[];
  readonly omitted: readonly OmittedSource[];
  /** Earlier turns kept, and older ones left out for the budget. */
  readonly turnsKept: number;
  readonly turnsOmitted: number;
}

/** Milliseconds per stage. */
export interface AnswerTimings {
  /** The search (query embedding, BM25, kNN, fusion). */
  readonly retrievalMs: number;
  /** Reading the files' chunks, choosing, counting tokens and rendering the prompt. */
  readonly contextMs: number;
  /** Prompt processing (remote: time to the first delta). Undefined when generation did not start. */
  readonly prefillMs: number | undefined;
  /** From the start of generation to the first text delta. */
  readonly firstTokenMs: number | undefined;
  /** Generation after the prompt was processed. */
  readonly decodeMs: number;
  /** From the question to the result. */
  readonly totalMs: number;
  /** Everything but prefill and decode: the pipeline's own cost. */
  readonly overheadMs: number;
}

/** The outcome of a question. */
export interface AnswerResult {
  readonly question: string;
  /** What retrieval searched for (the question, with the previous one for a follow-up). */
  readonly query: string;
  /** The answer text (what came before a cancellation). */
  readonly answer: string;
  readonly stopReason: ChatStopReason;
  /** True when the signal stopped it, at whichever stage. */
  readonly cancelled: boolean;
  /** The numbered sources of the prompt, in prompt order. */
  readonly sources: readonly AnswerSource[];
  /** Each distinct number the answer cites, in order of first mention; `valid: false` when no source has it. */
  readonly citations: readonly Citation[];
  readonly context: ContextReport;
  readonly timings: AnswerTimings;
  /** The model's own counts and timings (absent when generation did not start). */
  readonly stats?: ChatStats;
  /** The chat model's id. */
  readonly model: string;
}

/** What an answer in progress reports. */
export type AnswerEvent =
  | { readonly type: 'phase'; readonly phase: AnswerPhase; /** Since the question was asked. */ readonly elapsedMs: number }
  | { readonly type: 'context'; readonly sources: readonly AnswerSource[]; readonly context: ContextReport }
  | { readonly type: 'delta'; readonly text: string };
