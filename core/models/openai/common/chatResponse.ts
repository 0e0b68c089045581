// Reading what POST /chat/completions sends back: a streamed chunk (choices[0].delta.content,
// finish_reason, usage, or an `error` object sent mid-stream) or a whole completion
// (choices[0].message.content). Anything else is a protocol error naming what was wrong.

import type { RemoteChatUsage } from './chatTypes.js';
import { excerpt, type Redact } from './messageText.js';
import { RemoteError } from './RemoteError.js';
import { parseServerError } from './serverErrors.js';

/** What one streamed chunk or one whole completion carries. */
export interface ChatPiece {
  /** Text of the answer in this piece ("" if none). */
  readonly text: string;
  readonly finishReason?: string;
  readonly usage?: RemoteChatUsage;
  readonly model?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Usage in snake case -> camel case; undefined when absent or not numbers. */
function readUsage(value: unknown): RemoteChatUsage | undefined {
  if (!isRecord(value)) return undefined;
  const promptTokens = value.prompt_tokens, completionTokens = value.completion_tokens;
  if (typeof promptTokens !== 'number' || typeof completionTokens !== 'number') return undefined;
  const total = typeof value.total_tokens === 'number' ? value.total_tokens : promptTokens + completionTokens;
  return { promptTokens, completionTokens, totalTokens: total };
}

/** The choice with index 0 (the only one asked for), or the first. */
function firstChoice(record: Record<string, unknown>, endpoint: string, what: string): Record<string, unknown> | undefined {
  const choices = record.choices;
  if (choices === undefined || choices === null) return undefined;
  if (!Array.isArray(choices)) throw new RemoteError(endpoint, 'protocol', `${what} has "choices" that is not a list`);
  const choice = choices.find((c: unknown) => isRecord(c) && c.index === 0) ?? choices[0];
  if (choice !== undefined && !isRecord(choice)) throw new RemoteError(endpoint, 'protocol', `${what} has a choice that is not an object`);
  return choice;
}

function readContent(holder: unknown, endpoint: string, what: string): string {
  if (holder === undefined || holder === null) return '';
  if (!isRecord(holder)) throw new RemoteError(endpoint, 'protocol', `${what} is not an object`);
  const content = holder.content;
  if (content === undefined || content === null) return '';
  if (typeof content !== 'string') throw new RemoteError(endpoint, 'protocol', `${what}.content is not a string`);
  return content;
}

function readPiece(record: Record<string, unknown>, choice: Record<string, unknown> | undefined, text: string): ChatPiece {
  const finish = choice?.finish_reason;
  return {
    text,
    finishReason: typeof finish === 'string' && finish !== '' ? finish : undefined,
    usage: readUsage(record.usage),
    model: typeof record.model === 'string' && record.model !== '' ? record.model : undefined,
  };
}

/** The error a body carries in place of an answer (`{"error": ...}`), or undefined. */
function serverError(value: Record<string, unknown>, endpoint: string, redact: Redact, where: string): RemoteError | undefined {
  if (value.error === undefined || value.error === null) return undefined;
  const error = parseServerError(value);
  const serverMessage = redact(error?.message ?? excerpt(JSON.stringify(value.error)));
  const code = error?.code === undefined ? undefined : redact(error.code);
  return new RemoteError(endpoint, 'server', `the server reported an error ${where}: ${serverMessage}${code ? ` (${code})` : ''}`, { serverMessage, code });
}

/** Parses the JSON text of one event; an `error` object becomes a `server` RemoteError. */
export function parseStreamEvent(data: string, endpoint: string, redact: Redact): ChatPiece {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new RemoteError(endpoint, 'protocol', `the stream has an event that is not JSON: "${redact(excerpt(data, 200))}"`);
  }
  if (!isRecord(value)) throw new RemoteError(endpoint, 'protocol', `the stream has an event that is not a JSON object: "${redact(excerpt(data, 200))}"`);
  const error = serverError(value, endpoint, redact, 'in the middle of the stream');
  if (error) throw error;
  const choice = firstChoice(value, endpoint, 'a stream chunk');
  return readPiece(value, choice, readContent(choice?.delta, endpoint, "a stream chunk's choices[0].delta"));
}

/** Reads a whole (non-streamed) completion. */
export function parseCompletion(value: unknown, endpoint: string, redact: Redact): ChatPiece {
  if (!isRecord(value)) throw new RemoteError(endpoint, 'protocol', 'the completion is not a JSON object');
  const error = serverError(value, endpoint, redact, 'instead of a completion');
  if (error) throw error;
  const choice = firstChoice(value, endpoint, 'the completion');
  if (choice === undefined) throw new RemoteError(endpoint, 'protocol', 'the completion has no choices');
  return readPiece(value, choice, readContent(choice.message, endpoint, "the completion's choices[0].message"));
}
