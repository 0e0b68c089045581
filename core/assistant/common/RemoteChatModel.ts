// A ChatModel over an OpenAI-compatible server (Ollama, LM Studio, vLLM, llama-server): the
// messages go as they are, the server applies its model's chat template. The server's tokenizer
// is out of reach, so token counts are ESTIMATES: one token per 3 bytes of UTF-8
// (models/openai/common/tokenEstimate.ts; it errs on the side of a smaller prompt) plus an
// allowance per message for the template. The context length is not asked of the server either
// (the OpenAI API has no field for it): it comes from the settings, default 8192.

import { ArgumentError } from '../../base/common/errors.js';
import type { RemoteChatGeneration, RemoteChatModel as OpenAiChat, RemoteChatResult } from '../../models/openai/common/chatTypes.js';
import { estimateTokens } from '../../models/openai/common/tokenEstimate.js';
import type { ChatDelta, ChatGenerateOptions, ChatGeneration, ChatMessage, ChatModel, ChatResult, ChatStopReason } from './chatModel.js';

/** Context length assumed for a server when the settings give none. */
export const REMOTE_DEFAULT_CONTEXT_LENGTH = 8192;
/** Estimated tokens per message for the server's chat template (role header, end of turn). */
const MESSAGE_ALLOWANCE = 4;
/** Estimated tokens that open the assistant's turn. */
const REPLY_ALLOWANCE = 3;

/** Options of a {@link RemoteChatModel}. */
export interface RemoteChatModelOptions {
  /** Tokens the server's model holds, prompt and answer. Default REMOTE_DEFAULT_CONTEXT_LENGTH (8192). */
  readonly contextLength?: number;
}

function stopReasonOf(finishReason: string): ChatStopReason {
  if (finishReason === 'length') return 'max-tokens';
  if (finishReason === 'cancelled') return 'cancelled';
  return 'end-of-generation';
}

/** A remote completion seen as a ChatGeneration. */
class RemoteGeneration implements ChatGeneration {
  private final: ChatResult | undefined;
  private readonly iterator: AsyncGenerator<ChatDelta>;

  constructor(generation: RemoteChatGeneration, promptEstimate: number) {
    this.iterator = this.run(generation, promptEstimate);
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatDelta> {
    return this.iterator;
  }

  async result(): Promise<ChatResult> {
    for await (const _ of this.iterator);
    return this.final!;
  }

  private async *run(generation: RemoteChatGeneration, promptEstimate: number): AsyncGenerator<ChatDelta> {
    for await (const delta of generation) if (delta.text !== '') yield { text: delta.text };
    this.final = resultOf(await generation.result(), promptEstimate);
  }
}

function resultOf(result: RemoteChatResult, promptEstimate: number): ChatResult {
  const { usage, timings } = result;
  const first = timings.firstDeltaMs;
  return {
    text: result.text,
    stopReason: stopReasonOf(result.finishReason),
    stats: {
      promptTokens: usage?.promptTokens ?? promptEstimate,
      reusedTokens: 0,
      generatedTokens: usage?.completionTokens ?? estimateTokens(result.text),
      tokensEstimated: usage === undefined,
      prefillMs: first,
      firstTokenMs: first,
      decodeMs: timings.totalMs - (first ?? timings.totalMs),
      totalMs: timings.totalMs,
    },
  };
}

/** A chat model behind an OpenAI-compatible server, with estimated token counts. */
export class RemoteChatModel implements ChatModel {
  readonly tokensEstimated = true;
  readonly contextLength: number;

  constructor(
    readonly chat: OpenAiChat,
    options: RemoteChatModelOptions = {},
  ) {
    this.contextLength = options.contextLength ?? REMOTE_DEFAULT_CONTEXT_LENGTH;
    if (!Number.isSafeInteger(this.contextLength) || this.contextLength < 2) {
      throw new ArgumentError(`Invalid context length for ${chat.id}: ${this.contextLength}. Should be an integer of at least 2 (tokens the server's model holds).`);
    }
  }

  get id(): string {
    return this.chat.id;
  }

  countTokens(text: string): number {
    return estimateTokens(text);
  }

  countPromptTokens(messages: readonly ChatMessage[]): number {
    return messages.reduce((n, m) => n + estimateTokens(m.content) + MESSAGE_ALLOWANCE, REPLY_ALLOWANCE);
  }

  generate(messages: readonly ChatMessage[], options: ChatGenerateOptions = {}): ChatGeneration {
    const generation = this.chat.generate(messages, {
      maxTokens: options.maxTokens, temperature: options.temperature, topP: options.topP, seed: options.seed,
      stop: options.stopStrings && options.stopStrings.length > 0 ? options.stopStrings : undefined, signal: options.signal,
    });
    return new RemoteGeneration(generation, this.countPromptTokens(messages));
  }

  async dispose(): Promise<void> {
    // Requests hold no connection between answers: nothing to release.
  }
}
