// The one shape of a chat model for the answer pipeline, local or remote: messages in, a stream
// of text deltas out, then a result with why it stopped and its token counts and timings. The
// pipeline also asks it how many tokens a text or a whole prompt takes, and how long its context
// is, to fill the context without overflowing it. Cancellation is not an error (as in the engine's
// Generation): the signal ends the stream and the result says "cancelled".

/** One turn of a conversation. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** Options of one completion; a field left out takes the model's default. */
export interface ChatGenerateOptions {
  /** Tokens to generate at most. Default 512. */
  readonly maxTokens?: number;
  /** Sampling temperature; 0 = greedy. Default: the model file's recommendation (local) or the server's. */
  readonly temperature?: number;
  /** Nucleus sampling threshold, from 0 to 1. Default: as temperature. */
  readonly topP?: number;
  /** Random seed, for reproducible sampling. Default: random. */
  readonly seed?: number;
  /** Texts that end the answer (not included in it). Default none (besides the prompt format's own). */
  readonly stopStrings?: readonly string[];
  /** Ends the stream; the result then has stopReason "cancelled". */
  readonly signal?: AbortSignal;
}

/**
 * Why an answer ended: the model's end of turn (or a remote "stop"), a stop string, the token
 * limit, a full context, or the signal.
 */
export type ChatStopReason = 'end-of-generation' | 'stop-string' | 'max-tokens' | 'context-full' | 'cancelled';

/** Token counts and timings of one completion. */
export interface ChatStats {
  /** Tokens of the rendered prompt. */
  readonly promptTokens: number;
  /** Prompt tokens found in the KV cache and not evaluated again (0 for remote models). */
  readonly reusedTokens: number;
  readonly generatedTokens: number;
  /** True when the counts are estimates (a remote server that reported no usage). */
  readonly tokensEstimated: boolean;
  /**
   * Milliseconds of prompt processing. Local: measured by the engine. Remote: the time to the
   * first delta, which also holds the network and the server's queue.
   */
  readonly prefillMs: number | undefined;
  /** From the start of the completion to its first text delta; undefined when none came. */
  readonly firstTokenMs: number | undefined;
  /** Milliseconds of generation after the prompt was processed. */
  readonly decodeMs: number;
  /** From the start of the completion to its end. */
  readonly totalMs: number;
}

/** The outcome of a completion. */
export interface ChatResult {
  /** The whole answer: the deltas concatenated. */
  readonly text: string;
  readonly stopReason: ChatStopReason;
  readonly stats: ChatStats;
}

/** One streamed piece of an answer. */
export interface ChatDelta {
  readonly text: string;
}

/** A completion in progress: iterate it for deltas; `result()` runs it to its end. */
export interface ChatGeneration extends AsyncIterable<ChatDelta> {
  /** The result, running the completion to its end if it was not iterated. Call it after the loop, not during it. */
  result(): Promise<ChatResult>;
}

/** A chat model: local (engine + the model's chat template) or remote (an OpenAI-compatible server). */
export interface ChatModel {
  /** Identity for reports: the model file's path, or `openai:<host>/<model>`. */
  readonly id: string;
  /** Tokens the model's context holds: prompt and answer together. */
  readonly contextLength: number;
  /** True when countTokens and countPromptTokens estimate (remote) rather than count exactly (local). */
  readonly tokensEstimated: boolean;
  /**
   * Tokens of `text` as message content. With `limit`, counting may stop early once the count
   * is known to exceed it: the value returned is then some number above `limit`.
   */
  countTokens(text: string, limit?: number): number;
  /** Tokens of the whole prompt `messages` make, the chat format and the opened assistant turn included. */
  countPromptTokens(messages: readonly ChatMessage[]): number;
  /** Starts a completion of `messages`; bad options throw an ArgumentError at once. */
  generate(messages: readonly ChatMessage[], options?: ChatGenerateOptions): ChatGeneration;
  /** Releases the model (weights, files, connections). */
  dispose(): Promise<void>;
}
