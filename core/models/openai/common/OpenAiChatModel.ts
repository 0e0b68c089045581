// A chat model behind an OpenAI-compatible server: POST /chat/completions, streamed as
// server-sent events (or whole, with stream: false, or when the server answers JSON anyway),
// read as text deltas. A stream must end with `[DONE]` or a finish_reason; one cut before, or
// carrying an error or a bad event, fails with a RemoteError after the deltas that came first.

import { ArgumentError, CancelledError } from '../../../base/common/errors.js';
import { chatRequestBody } from './chatRequest.js';
import { parseCompletion, parseStreamEvent, type ChatPiece } from './chatResponse.js';
import type {
  RemoteChatDelta, RemoteChatGeneration, RemoteChatMessage, RemoteChatModel, RemoteChatOptions, RemoteChatResult, RemoteChatUsage,
} from './chatTypes.js';
import { RemoteError } from './RemoteError.js';
import { resolveOpenAiSettings, type OpenAiSettings, type ResolvedOpenAiSettings } from './settings.js';
import { SseLimitError, SseParser } from './sseParser.js';
import { sendRequest, type ApiResponse } from './transport.js';

/** What a completion has gathered so far. */
interface Progress {
  text: string;
  finishReason: string | undefined;
  usage: RemoteChatUsage | undefined;
  model: string | undefined;
  headersMs: number | undefined;
  firstDeltaMs: number | undefined;
  /** `[DONE]` was received. */
  done: boolean;
}

/** A completion in progress against an OpenAI-compatible server. */
export class OpenAiChatGeneration implements RemoteChatGeneration {
  private readonly iterator: AsyncGenerator<RemoteChatDelta>;
  private readonly progress: Progress = {
    text: '', finishReason: undefined, usage: undefined, model: undefined, headersMs: undefined, firstDeltaMs: undefined, done: false,
  };
  private final: RemoteChatResult | undefined;
  private failure: unknown;
  private started = 0;

  /** @internal created by OpenAiChatModel.generate */
  constructor(
    private readonly settings: ResolvedOpenAiSettings,
    private readonly body: Record<string, unknown>,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.iterator = this.run();
  }

  get text(): string {
    return this.progress.text;
  }

  [Symbol.asyncIterator](): AsyncIterator<RemoteChatDelta> {
    return this.iterator;
  }

  async result(): Promise<RemoteChatResult> {
    if (!this.final && this.failure === undefined) for await (const _ of this.iterator);
    if (this.final) return this.final;
    throw this.failure;
  }

  private async *run(): AsyncGenerator<RemoteChatDelta> {
    this.started = performance.now();
    let response: ApiResponse | undefined;
    try {
      response = await sendRequest(this.settings, {
        method: 'POST', path: '/chat/completions', body: this.body, accept: 'text/event-stream, application/json', signal: this.signal,
      });
      this.progress.headersMs = response.headersMs;
      if (response.contentType === 'text/event-stream') yield* this.readStream(response);
      else yield* this.readWhole(response);
      this.finish(this.progress.finishReason ?? 'unknown');
    } catch (error) {
      if (error instanceof CancelledError && this.signal?.aborted) return this.finish('cancelled');
      this.failure = error instanceof RemoteError ? error.with({ partialText: this.progress.text }) : error;
      throw this.failure;
    } finally {
      response?.close();
      // The caller left the loop early: the request is closed and the result says so.
      if (!this.final && this.failure === undefined) this.finish('cancelled');
    }
  }

  private finish(finishReason: string): void {
    const p = this.progress;
    this.final = {
      text: p.text, finishReason, usage: p.usage, model: p.model ?? String(this.body.model),
      timings: { headersMs: p.headersMs, firstDeltaMs: p.firstDeltaMs, totalMs: performance.now() - this.started },
    };
  }

  /** Records a piece; returns the delta to yield, if it has text. */
  private take(piece: ChatPiece): RemoteChatDelta | undefined {
    const p = this.progress;
    if (piece.finishReason !== undefined) p.finishReason = piece.finishReason;
    if (piece.usage !== undefined) p.usage = piece.usage;
    if (piece.model !== undefined) p.model = piece.model;
    if (piece.text === '') return undefined;
    p.text += piece.text;
    p.firstDeltaMs ??= performance.now() - this.started;
    return { text: piece.text };
  }

  private async *readStream(response: ApiResponse): AsyncGenerator<RemoteChatDelta> {
    const parser = new SseParser();
    const events = async function* (): AsyncGenerator<string> {
      try {
        for await (const bytes of response.chunks()) yield* parser.push(bytes);
        yield* parser.end();
      } catch (error) {
        if (!(error instanceof SseLimitError)) throw error;
        throw new RemoteError(response.endpoint, 'protocol', `the stream is malformed: ${error.message}`);
      }
    };
    for await (const data of events()) {
      if (data.trim() === '[DONE]') {
        this.progress.done = true;
        return;
      }
      const delta = this.take(parseStreamEvent(data, response.endpoint, response.redact));
      if (delta) yield delta;
    }
    if (this.progress.finishReason === undefined) {
      throw new RemoteError(response.endpoint, 'protocol', 'the stream ended before the completion did (no finish_reason and no [DONE])');
    }
  }

  private async *readWhole(response: ApiResponse): AsyncGenerator<RemoteChatDelta> {
    const delta = this.take(parseCompletion(await response.json(), response.endpoint, response.redact));
    if (delta) yield delta;
  }
}

/** A chat model on an OpenAI-compatible server; its id is `openai:<host>/<model>`. */
export class OpenAiChatModel implements RemoteChatModel {
  readonly settings: ResolvedOpenAiSettings;
  /** The model asked for when a request names none. */
  readonly model: string;
  readonly id: string;

  /**
   * @param model the model name; default: `settings.chatModel`.
   * @throws ArgumentError for bad settings or when no model is named.
   */
  constructor(settings: OpenAiSettings | ResolvedOpenAiSettings, model?: string) {
    this.settings = 'apiBase' in settings ? settings : resolveOpenAiSettings(settings);
    const name = model ?? this.settings.chatModel;
    if (!name) throw new ArgumentError(`No chat model named for ${this.settings.apiBase}: set chatModel (e.g. "qwen2.5:1.5b").`);
    this.model = name;
    this.id = `openai:${this.settings.host}/${name}`;
  }

  generate(messages: readonly RemoteChatMessage[], options: RemoteChatOptions = {}): OpenAiChatGeneration {
    const body = chatRequestBody(options.model ?? this.model, messages, options, this.settings.streamUsage);
    return new OpenAiChatGeneration(this.settings, body, options.signal);
  }

  /** The whole answer of a non-streamed request. */
  complete(messages: readonly RemoteChatMessage[], options: Omit<RemoteChatOptions, 'stream'> = {}): Promise<RemoteChatResult> {
    return this.generate(messages, { ...options, stream: false }).result();
  }
}
