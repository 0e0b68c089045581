// The error of a remote OpenAI-compatible server: an ExpectedError (reason Network) whose message
// is always `<METHOD> <url>: <problem>`, with what went wrong as `failure` and the details a
// caller may act on (HTTP status, the server's message, Retry-After, the text streamed before).
// serverErrors.ts builds them from HTTP statuses and socket errors.

import { ErrorReason, ExpectedError } from '../../../base/common/errors.js';

/** What went wrong with a remote request. */
export type RemoteFailure =
  /** The server answered with an HTTP error status. */
  | 'http'
  /** The connection could not be made or was cut (refused, reset, host not found, TLS). */
  | 'connection'
  /** No byte came within the first-byte timeout, or none between two pieces within the idle timeout. */
  | 'timeout'
  /** The server sent an error in the middle of a stream (an `error` object in an event). */
  | 'server'
  /** The response is not what the protocol says (bad JSON, missing fields, a stream cut before its end). */
  | 'protocol'
  /** Embedding vectors of another length than before: the model behind the endpoint changed. */
  | 'dimension';

/** What a RemoteError knows beyond its message. */
export interface RemoteErrorDetails {
  /** HTTP status, for `http` failures. */
  readonly status?: number;
  /** The server's own error message (secrets removed). */
  readonly serverMessage?: string;
  /** The server's error type/code, or the socket error code (e.g. ECONNREFUSED). */
  readonly code?: string;
  /** Text a chat stream had produced before it failed. */
  readonly partialText?: string;
  /** How long the server asked to wait before retrying (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
}

/** A failure of a remote server; `endpoint` is `<METHOD> <url>` and starts the message. */
export class RemoteError extends ExpectedError {
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;
  readonly code: string | undefined;
  readonly partialText: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly endpoint: string,
    readonly failure: RemoteFailure,
    problem: string,
    details: RemoteErrorDetails = {},
  ) {
    super(ErrorReason.Network, `${endpoint}: ${problem}`);
    this.name = 'RemoteError';
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.code = details.code;
    this.partialText = details.partialText;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** The same error with more details and, if given, a sentence added to its message. */
  with(details: RemoteErrorDetails, note?: string): RemoteError {
    const problem = this.message.slice(this.endpoint.length + 2);
    const text = note ? `${problem}${/[.?!]$/.test(problem) ? ' ' : '. '}${note}` : problem;
    return new RemoteError(this.endpoint, this.failure, text, { ...this.details(), ...details });
  }

  private details(): RemoteErrorDetails {
    const { status, serverMessage, code, partialText, retryAfterMs } = this;
    return { status, serverMessage, code, partialText, retryAfterMs };
  }
}
