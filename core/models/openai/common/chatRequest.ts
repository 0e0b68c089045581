// The body of POST /chat/completions, built from checked options: the OpenAI names in snake
// case, fields left out when not given (the server's defaults apply), server-specific extras
// underneath. A bad option is an ArgumentError before anything is sent.

import { ArgumentError } from '../../../base/common/errors.js';
import type { RemoteChatMessage, RemoteChatOptions } from './chatTypes.js';

function checkNumber(name: string, value: number | undefined, min: number, max: number, integer = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isSafeInteger(value))) {
    throw new ArgumentError(`Invalid ${name}: ${String(value)}. Should be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}.`);
  }
  return value;
}

function checkMessages(messages: readonly RemoteChatMessage[]): { role: string; content: string }[] {
  if (!Array.isArray(messages) || messages.length === 0) throw new ArgumentError('A chat request needs at least one message.');
  return messages.map((m, i) => {
    if (typeof m?.role !== 'string' || m.role === '' || typeof m.content !== 'string') {
      throw new ArgumentError(`Invalid chat message ${i}: should be {role: string, content: string}.`);
    }
    return { role: m.role, content: m.content };
  });
}

function checkStop(stop: readonly string[] | undefined): string[] | undefined {
  if (stop === undefined) return undefined;
  if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string' || s === '')) {
    throw new ArgumentError('Invalid stop: should be a list of non-empty strings.');
  }
  return [...stop];
}

/** The JSON body of a chat request; an ArgumentError names the first bad option. */
export function chatRequestBody(model: string, messages: readonly RemoteChatMessage[], options: RemoteChatOptions, streamUsage: boolean): Record<string, unknown> {
  const stream = options.stream ?? true;
  const fields: Record<string, unknown> = {
    model,
    messages: checkMessages(messages),
    stream,
    stream_options: stream && streamUsage ? { include_usage: true } : undefined,
    temperature: checkNumber('temperature', options.temperature, 0, 100),
    top_p: checkNumber('top_p', options.topP, 0, 1),
    max_tokens: checkNumber('max_tokens', options.maxTokens, 1, 2 ** 31, true),
    stop: checkStop(options.stop),
    seed: checkNumber('seed', options.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true),
    presence_penalty: checkNumber('presence_penalty', options.presencePenalty, -2, 2),
    frequency_penalty: checkNumber('frequency_penalty', options.frequencyPenalty, -2, 2),
  };
  const body: Record<string, unknown> = { ...(options.extraBody ?? {}) };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body[key] = value;
  return body;
}
