// RemoteErrors from what a server did: an HTTP error status with the server's own message
// (OpenAI's {error:{message,type,code}}, vLLM's top-level {message,type}, Ollama's
// {error:"..."}) and a hint, or a fetch that failed on the socket (refused, reset, host not
// found, TLS), with secrets removed from everything quoted.

import { excerpt, type Redact } from './messageText.js';
import { RemoteError } from './RemoteError.js';

const HINTS: Readonly<Record<number, string>> = {
  400: 'The server refused the request.',
  401: 'Check the API key.',
  403: 'Check the API key and its permissions.',
  404: 'Check the server URL and the model name.',
  408: 'The server timed out waiting for the request.',
  413: 'The request is too large for the server.',
  429: 'The server is rate limiting; retry later.',
};

function stringField(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** The message, type and code of an error body in any of the usual shapes. */
export function parseServerError(body: unknown): { message?: string; code?: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return { message: error };
  const source = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : record;
  const message = stringField(source.message) ?? stringField(source.detail);
  if (message === undefined && source === record) return undefined;
  const code = [stringField(source.type), stringField(source.code)].filter(Boolean).join(', ');
  return { message: message ?? excerpt(JSON.stringify(source)), code: code || undefined };
}

/** The error for an HTTP error status, with the server's message from `bodyText`. */
export function httpError(endpoint: string, status: number, statusText: string, bodyText: string, redact: Redact, retryAfterMs?: number): RemoteError {
  let parsed: { message?: string; code?: string } | undefined;
  try {
    parsed = parseServerError(JSON.parse(bodyText));
  } catch {
    parsed = undefined;
  }
  const serverMessage = redact(parsed?.message ?? excerpt(bodyText));
  const code = parsed?.code === undefined ? undefined : redact(parsed.code);
  const head = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const said = serverMessage ? `: ${serverMessage}${code ? ` (${code})` : ''}` : '';
  const hint = HINTS[status] ?? (status >= 500 ? 'The server failed; see its log.' : '');
  return new RemoteError(endpoint, 'http', `${head}${said}${hint ? `. ${hint}` : ''}`, { status, serverMessage, code, retryAfterMs });
}

const CONNECTION_PROBLEMS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused; is the server running?',
  ECONNRESET: 'the server reset the connection',
  EPIPE: 'the server closed the connection',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CLOSED: 'the server closed the connection',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers within the fetch timeout (300 s by default in Node)',
  UND_ERR_BODY_TIMEOUT: 'no data within the fetch body timeout (300 s by default in Node)',
};

/** The innermost error code and message along an error's `cause` chain. */
function rootCause(error: unknown): { code?: string; message: string } {
  let code: string | undefined;
  let message = error instanceof Error ? error.message : String(error);
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') code = c;
    message = e.message;
  }
  return { code, message };
}

/** The error for a fetch (or, with `midResponse`, a body read) that failed without an HTTP status. */
export function connectionError(endpoint: string, error: unknown, redact: Redact, midResponse: boolean): RemoteError {
  const { code, message } = rootCause(error);
  const tls = code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|VERIFY/.test(code);
  const problem = code && CONNECTION_PROBLEMS[code] ? CONNECTION_PROBLEMS[code] : tls ? `TLS certificate not accepted (${message})` : message;
  const failure = code?.includes('TIMEOUT') ? 'timeout' : 'connection';
  return new RemoteError(endpoint, failure, `${redact(problem)}${midResponse ? ' in the middle of the response' : ''}`, { code });
}
