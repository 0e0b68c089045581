// The shape of a remote chat model, small enough to wrap: generate(messages, options) gives an
// async iterable of text deltas and, at the end, a result with the whole text, why it ended,
// token usage when the server reports it, and timings. Cancellation is not an error here (as in
// the local engine's Generation): the result then has finishReason "cancelled".

/** One turn of a conversation, as the OpenAI chat API takes it. */
export interface RemoteChatMessage {
  /** "system", "user", "assistant" or "tool". */
  readonly role: string;
  readonly content: string;
}

/** Options of one chat request; every sampling field left out is left to the server's default. */
export interface RemoteChatOptions {
  /** Model name; default: the settings' chatModel. */
  readonly model?: string;
  /** Sampling temperature (0 = greedy on most servers). */
  readonly temperature?: number;
  /** Nucleus sampling threshold, from 0 to 1. */
  readonly topP?: number;
  /** Tokens to generate at most (`max_tokens`). */
  readonly maxTokens?: number;
  /** Texts that end generation; not included in the output. */
  readonly stop?: readonly string[];
  /** Random seed, for reproducible sampling where the server supports it. */
  readonly seed?: number;
  /** Penalty for tokens already present, from -2 to 2. */
  readonly presencePenalty?: number;
  /** Penalty proportional to how often a token appeared, from -2 to 2. */
  readonly frequencyPenalty?: number;
  /** Stream the answer as it is generated; false sends one request and yields the whole text once. Default true. */
  readonly stream?: boolean;
  /** Further body fields for server-specific options (e.g. `{top_k: 40}`); the fields above win over them. */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  /** Stops generation and closes the request; the result then has finishReason "cancelled". */
  readonly signal?: AbortSignal;
}

/** Why a completion ended: the server's finish_reason, "cancelled", or "unknown" when the server gave none. */
export type RemoteFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'cancelled' | 'unknown' | (string & {});

/** Token counts as the server reports them. */
export interface RemoteChatUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/** Wall-clock milliseconds of a request, measured by the client. */
export interface RemoteChatTimings {
  /** From sending the request to its response headers; undefined if cancelled before. */
  readonly headersMs: number | undefined;
  /** From sending the request to the first non-empty text delta; undefined if none came. */
  readonly firstDeltaMs: number | undefined;
  /** From sending the request to the end of the response. */
  readonly totalMs: number;
}

/** The outcome of a completion. */
export interface RemoteChatResult {
  /** The whole answer: the deltas concatenated. */
  readonly text: string;
  readonly finishReason: RemoteFinishReason;
  /** Present when the server reported usage (streamed: with `stream_options.include_usage`). */
  readonly usage?: RemoteChatUsage;
  /** The model that answered, as the server names it (else the one asked for). */
  readonly model: string;
  readonly timings: RemoteChatTimings;
}

/** One streamed piece of the answer. */
export interface RemoteChatDelta {
  readonly text: string;
}

/** A completion in progress: iterate it for deltas; `result()` runs it to its end. */
export interface RemoteChatGeneration extends AsyncIterable<RemoteChatDelta> {
  /** The text received so far (all of it once finished; what came before a failure). */
  readonly text: string;
  /**
   * The final result, running the request to its end if it was not iterated. Call it after the
   * loop or instead of it, not during it (it would take the deltas the loop is waiting for).
   * @throws RemoteError if the request failed (its `partialText` holds what came before).
   */
  result(): Promise<RemoteChatResult>;
}

/** A chat model behind a remote server. */
export interface RemoteChatModel {
  /** Identity, e.g. `openai:127.0.0.1:11434/qwen2.5:1.5b`. */
  readonly id: string;
  /**
   * Starts a completion of `messages`. The request is sent when the generation is first iterated
   * (or `result()` is called). Bad options throw an ArgumentError at once.
   */
  generate(messages: readonly RemoteChatMessage[], options?: RemoteChatOptions): RemoteChatGeneration;
}
