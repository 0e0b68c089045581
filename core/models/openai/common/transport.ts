// One HTTP exchange with an OpenAI-compatible server over fetch: headers (Bearer key, extra
// headers), a first-byte timeout and an idle timeout between body pieces (counted only while
// waiting for the server, not while the caller works), cancellation by AbortSignal that closes
// the connection, retries of 408/429/5xx with Retry-After, and every failure as a RemoteError.

import { CancelledError } from '../../../base/common/errors.js';
import { excerpt, redactorFor, type Redact } from './messageText.js';
import { RemoteError } from './RemoteError.js';
import { connectionError, httpError } from './serverErrors.js';
import { backoffMs, RETRY_STATUSES, retryAfterMs, sleep } from './retry.js';
import type { ResolvedOpenAiSettings } from './settings.js';

/** A request to the API: `path` is below the API root, e.g. `/chat/completions`. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** JSON body of a POST. */
  readonly body?: unknown;
  /** Accept header: `application/json` or `text/event-stream`. */
  readonly accept: string;
  readonly signal?: AbortSignal;
}

/** Why the exchange was stopped from our side. */
type StopCause = 'timeout' | 'cancel' | 'closed';

/** The abort controller and the one timer of an exchange, linked to the caller's signal. */
class ExchangeControl {
  readonly controller = new AbortController();
  cause: StopCause | undefined;
  private ended = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = (): void => this.stop('cancel');

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.stop('cancel');
  }

  /** Starts the timeout of the next wait. */
  arm(ms: number): void {
    this.disarm();
    this.timer = setTimeout(() => this.stop('timeout'), ms);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Aborts the request (closing its connection) unless it already ended. */
  stop(cause: StopCause): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    this.disarm();
    this.controller.abort();
  }

  /** Releases the timer and the listener; `abort` also closes a response not read to its end. */
  finish(abort: boolean): void {
    if (this.ended) return;
    this.ended = true;
    if (abort) this.stop('closed');
    this.disarm();
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** A response with an OK status whose body is read with the timeouts. */
export class ApiResponse {
  /** Milliseconds from sending the request to its response headers. */
  readonly headersMs: number;
  private received = false;

  /** @internal created by sendRequest */
  constructor(
    readonly endpoint: string,
    readonly response: Response,
    private readonly control: ExchangeControl,
    private readonly timing: { readonly deadline: number; readonly idleMs: number; readonly firstByteMs: number; readonly started: number },
    /** Removes secrets from text bound for an error message. */
    readonly redact: Redact,
  ) {
    this.headersMs = performance.now() - timing.started;
  }

  /** The media type of the body, lower case without parameters (e.g. `text/event-stream`). */
  get contentType(): string {
    return (this.response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  }

  /** The body piece by piece; leaving the loop early closes the connection. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    const body = this.response.body;
    if (!body) return this.control.finish(false);
    const reader = body.getReader();
    let clean = false;
    try {
      for (;;) {
        this.control.arm(this.received ? this.timing.idleMs : Math.max(0, this.timing.deadline - performance.now()));
        const step = await reader.read().catch((error: unknown) => {
          throw this.readError(error);
        });
        this.control.disarm();
        if (step.done) {
          clean = true;
          return;
        }
        this.received = true;
        yield step.value;
      }
    } finally {
      this.control.finish(!clean);
    }
  }

  /** The whole body as text. */
  async text(): Promise<string> {
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of this.chunks()) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  }

  /** The whole body as JSON; a body that is not JSON is a protocol error quoting its start. */
  async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RemoteError(this.endpoint, 'protocol', `the response is not JSON: "${this.redact(excerpt(text, 200))}"`);
    }
  }

  /** Closes the connection if the body was not read to its end. */
  close(): void {
    this.control.finish(true);
  }

  private readError(error: unknown): Error {
    this.control.disarm();
    return stopError(this.control, this.endpoint, this.received ? this.timing.idleMs : this.timing.firstByteMs, this.received)
      ?? connectionError(this.endpoint, error, this.redact, true);
  }
}

/** The error for an exchange we stopped ourselves, or undefined if we did not. */
function stopError(control: ExchangeControl, endpoint: string, timeoutMs: number, received: boolean): Error | undefined {
  if (control.cause === 'cancel') return new CancelledError(`${endpoint}`);
  if (control.cause === 'timeout') {
    const problem = received
      ? `no data from the server for ${timeoutMs} ms (idle timeout) in the middle of the response`
      : `no response within ${timeoutMs} ms (first-byte timeout)`;
    return new RemoteError(endpoint, 'timeout', problem);
  }
  return undefined;
}

function requestHeaders(settings: ResolvedOpenAiSettings, request: ApiRequest): Record<string, string> {
  const headers: Record<string, string> = { ...settings.headers, Accept: request.accept };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (settings.apiKey !== undefined) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    headers.Authorization = `Bearer ${settings.apiKey}`;
  }
  return headers;
}

/** One attempt: an OK response, or the RemoteError of its status (with the server's message). */
async function attempt(settings: ResolvedOpenAiSettings, request: ApiRequest, endpoint: string, redact: Redact): Promise<ApiResponse> {
  const control = new ExchangeControl(request.signal);
  const started = performance.now();
  const timing = { started, deadline: started + settings.firstByteTimeoutMs, idleMs: settings.idleTimeoutMs, firstByteMs: settings.firstByteTimeoutMs };
  control.arm(settings.firstByteTimeoutMs);
  let response: Response;
  try {
    response = await settings.fetch(`${settings.apiBase}${request.path}`, {
      method: request.method,
      headers: requestHeaders(settings, request),
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: control.controller.signal,
    });
  } catch (error) {
    control.finish(false);
    throw stopError(control, endpoint, settings.firstByteTimeoutMs, false) ?? connectionError(endpoint, error, redact, false);
  }
  control.disarm();
  const open = new ApiResponse(endpoint, response, control, timing, redact);
  if (response.ok) return open;
  const body = await open.text();
  throw httpError(endpoint, response.status, response.statusText, body, redact, retryAfterMs(response.headers));
}

/**
 * Sends `request` and returns its response once the status is OK, retrying 408/429/5xx up to
 * `maxRetries` times; a Retry-After longer than `maxRetryDelayMs` fails at once.
 * @throws RemoteError (HTTP status, connection, timeout), CancelledError when `request.signal` fires.
 */
export async function sendRequest(settings: ResolvedOpenAiSettings, request: ApiRequest): Promise<ApiResponse> {
  const endpoint = `${request.method} ${settings.apiBase}${request.path}`;
  const redact = redactorFor(settings.apiKey, settings.headers);
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(settings, request, endpoint, redact);
    } catch (error) {
      if (!(error instanceof RemoteError) || error.status === undefined || !RETRY_STATUSES.has(error.status)) throw error;
      if (retry >= settings.maxRetries) throw retry === 0 ? error : error.with({}, `Gave up after ${retry} retries.`);
      if (error.retryAfterMs !== undefined && error.retryAfterMs > settings.maxRetryDelayMs) {
        const seconds = (error.retryAfterMs / 1000).toFixed(1);
        throw error.with({}, `The server asks to retry after ${seconds} s, longer than the ${settings.maxRetryDelayMs} ms allowed (maxRetryDelayMs).`);
      }
      const delay = error.retryAfterMs ?? backoffMs(retry, settings.retryBaseDelayMs, settings.maxRetryDelayMs);
      await sleep(delay, request.signal, endpoint);
    }
  }
}
