// The expected errors of downloads and of the model cache. A NetworkError says what was asked of
// whom and what came back (an HTTP status, a reset connection, a timeout, a refused redirect) and
// whether trying again may help; an IntegrityError says which file failed which check.

import { ErrorReason, ExpectedError } from '../../base/common/errors.js';

/** A failed network operation; `retryable` when the same request may succeed later. */
export class NetworkError extends ExpectedError {
  constructor(
    message: string,
    /** True for resets, timeouts, 5xx, 408 and 429; false for 4xx, refused redirects, bad proxies. */
    readonly retryable: boolean,
    /** The HTTP status, when the server answered with one. */
    readonly status?: number,
    /** How long the server asked to wait before trying again (Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(ErrorReason.Network, message);
    this.name = 'NetworkError';
  }
}

/** Downloaded or stored bytes that do not match their expected sha256 or size. */
export class IntegrityError extends ExpectedError {
  constructor(message: string) {
    super(ErrorReason.Integrity, message);
    this.name = 'IntegrityError';
  }
}

/** HTTP statuses worth another attempt: the server may answer differently later. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** `Retry-After` in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The error for an HTTP error status `status` answered by `url`, with the server's Retry-After. */
export function httpStatusError(status: number, statusText: string, url: string, retryAfter?: string): NetworkError {
  const text = statusText ? ` ${statusText}` : '';
  const hint = status === 401 || status === 403 ? ' (the file may be gated or private)' : status === 404 ? ' (no such file at that address)' : '';
  const retryable = RETRYABLE_STATUSES.has(status) || (status >= 500 && status !== 501);
  return new NetworkError(`HTTP ${status}${text} from ${url}${hint}`, retryable, status, parseRetryAfter(retryAfter, Date.now()));
}

/** Socket error codes of failures that may pass (a reset, a refused or timed-out connection, DNS trouble). */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET',
]);

/** Wraps a socket or stream error from a request to `url` as a NetworkError. */
export function connectionError(error: unknown, url: string): NetworkError {
  if (error instanceof NetworkError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const transient = typeof code === 'string' ? TRANSIENT_CODES.has(code) : /aborted|socket hang up|closed/i.test(message);
  const detail = typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  return new NetworkError(`connection to ${url} failed: ${detail}`, transient);
}
