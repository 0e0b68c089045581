// When to retry a request and how long to wait first: statuses that say "try again" (408, 429,
// 5xx but 501), the server's own wait (`retry-after-ms`, then `Retry-After` in seconds or as an
// HTTP date), otherwise exponential backoff with jitter; a cancellable sleep.

import { CancelledError } from '../../../base/common/errors.js';

/** HTTP statuses worth retrying: the server may answer differently later. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The wait a response asks for, in milliseconds: `retry-after-ms` (OpenAI's), else `Retry-After`
 * as seconds (decimals accepted) or as an HTTP date; undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff: `base * 2^attempt` (attempt 0 = first retry), ±25% jitter, at most `max`. */
export function backoffMs(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const delay = base * 2 ** attempt * (0.75 + 0.5 * random());
  return Math.min(max, Math.round(delay));
}

/** Resolves after `ms`, or rejects with CancelledError when `signal` fires first. */
export function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError(what));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError(what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
