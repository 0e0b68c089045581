// Protocol types of the `ask/*` area: a question over a corpus answered by a model with numbered
// sources and citations, streamed as phase, sources, delta and done events. The result holds the
// fields of `pinpoint ask --json` (the CLI contract of issue 4) and more. Types only; the
// service's own copies of the assistant's types, so the wire format is stated here.

/** `ask/question`: answers a question from a corpus. */
export interface AskQuestionRequest {
  /** 1 to 8,000 characters. */
  readonly question: string;
  /** Default "default". */
  readonly corpus?: string;
  /** A GGUF path, a model folder, an installed model id, or `openai:<baseUrl>#<model>`. */
  readonly model: string;
  /** Follow-up questions with the same id see the earlier turns (kept by the service, in memory). */
  readonly conversationId?: string;
  /** Most tokens of the answer (and the room reserved for it); default a quarter of the context. */
  readonly maxTokens?: number;
  /** 0 for greedy decoding; default the model's. */
  readonly temperature?: number;
  /** Retrieval results to consider, 1 to 50; default 10. */
  readonly k?: number;
}

/** What the assistant is doing now. */
export type AskPhase = 'loading-model' | 'retrieving' | 'building-context' | 'prefill' | 'generating';

/** Event `ask/phase`. */
export interface AskPhaseEvent {
  readonly phase: AskPhase;
  /** Milliseconds since the question was asked. */
  readonly elapsedMs: number;
}

/** Event `ask/delta`: the next piece of the answer's text. */
export interface AskDeltaEvent {
  readonly text: string;
}

/** Where a passage is: a file under a root, its lines, and its page for paged documents. */
export interface AskPlace {
  readonly root: string;
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly page?: number;
}

/** A numbered source given to the model. */
export interface AskSource extends AskPlace {
  /** The number the answer cites it by: [n]. */
  readonly n: number;
  readonly language: string;
  readonly score: number;
  /** True when its whole file went in. */
  readonly wholeFile: boolean;
  /** Tokens of its block in the prompt. */
  readonly tokens: number;
}

/** Event `ask/sources`: the sources, once the context is built (before the answer). */
export interface AskSourcesEvent {
  readonly sources: readonly AskSource[];
}

/** A number cited in the answer: `valid` is false when no source has it. */
export interface AskCitation {
  readonly n: number;
  readonly valid: boolean;
  /** Where the source is (absent when invalid). */
  readonly place?: AskPlace;
  /** Brackets that cite it. */
  readonly mentions: number;
}

/** What went into the prompt against the budget; what did not fit is listed, never cut silently. */
export interface AskContextReport {
  /** Tokens of the prompt, and the most it could take (context minus the room for the answer). */
  readonly tokens: number;
  readonly budget: number;
  readonly contextLength: number;
  readonly reservedForAnswer: number;
  readonly sourceTokens: number;
  readonly historyTokens: number;
  /** True when the counts are estimates (a remote model). */
  readonly tokensEstimated: boolean;
  readonly included: readonly (AskPlace & { readonly n: number; readonly tokens: number; readonly reason: 'whole-file' | 'chunks' })[];
  readonly omitted: readonly (AskPlace & { readonly tokens: number; readonly score: number; readonly reason: 'budget' | 'stale' })[];
  readonly turnsKept: number;
  readonly turnsOmitted: number;
}

/** Milliseconds per stage. */
export interface AskTimings {
  readonly retrievalMs: number;
  readonly contextMs: number;
  readonly prefillMs?: number;
  readonly firstTokenMs?: number;
  readonly decodeMs: number;
  readonly totalMs: number;
  /** Everything but prefill and decode. */
  readonly overheadMs: number;
}

/** Event `ask/done`: the citations and the context report, once the answer is complete. */
export interface AskDoneEvent {
  readonly citations: readonly AskCitation[];
  readonly context: AskContextReport;
  readonly stopReason: string;
}

/** The result of `ask/question`. */
export interface AskQuestionResult {
  readonly answer: string;
  readonly sources: readonly AskSource[];
  readonly citations: readonly AskCitation[];
  readonly context: AskContextReport;
  /** Why the answer ended: "end-of-generation", "stop-string", "max-tokens", "context-full". */
  readonly stopReason: string;
  readonly timings: AskTimings;
  /** The conversation the answer belongs to: the one given, or a new one for follow-ups. */
  readonly conversationId: string;
  /** The model's id (its file's path, or `openai:<host>/<model>`). */
  readonly model: string;
}
