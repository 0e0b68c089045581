// Error types shared by every core module. Two families, as in VS Code's base/common/errors:
// an ExpectedError is something the user can fix (a bad file, a bad argument) and is shown as a
// message, never as a crash; a BugIndicatingError is a broken invariant inside Pinpoint.

/** Why an expected error happened; shells map these to messages and exit codes. */
export enum ErrorReason {
  /** A model file (GGUF, safetensors, config.json, tokenizer) is malformed or unsupported. */
  ModelFile = 'model-file',
  /** A command-line argument or setting is missing or has a bad value. */
  BadArgument = 'bad-argument',
  /** The operation was cancelled by its AbortSignal. */
  Cancelled = 'cancelled',
  /** The request does not fit a limit (context length, memory). */
  Limit = 'limit',
  /**
   * A network peer failed: connection refused or reset, a timeout, an HTTP error status, or a
   * response that breaks its protocol (a remote model server, a download).
   */
  Network = 'network',
  /** Downloaded or stored data does not match its expected checksum or size. */
  Integrity = 'integrity',
}

/** A failure the user can fix; its message names what and where. */
export class ExpectedError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ExpectedError';
  }
}

/** A model file that cannot be used: the message is `<file>: <problem>`. */
export class ModelFileError extends ExpectedError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(ErrorReason.ModelFile, `${file}: ${problem}`);
    this.name = 'ModelFileError';
  }
}

/** A bad argument or setting: names the value and what is allowed. */
export class ArgumentError extends ExpectedError {
  constructor(message: string) {
    super(ErrorReason.BadArgument, message);
    this.name = 'ArgumentError';
  }
}

/** Thrown when an AbortSignal fires during long work. */
export class CancelledError extends ExpectedError {
  constructor(what = 'operation') {
    super(ErrorReason.Cancelled, `${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

/** A broken invariant: reaching this is a bug in Pinpoint, not in the input. */
export class BugIndicatingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugIndicatingError';
  }
}

/** Throws a BugIndicatingError when `condition` is false. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new BugIndicatingError(message);
}

/** Throws CancelledError if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}
