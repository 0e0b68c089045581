// Exit codes of the `pinpoint` command, stable for scripts that call it.

import { ErrorReason, ExpectedError } from '../base/common/errors.js';

export const EXIT_OK = 0;
/** A bug in Pinpoint (an unexpected exception). */
export const EXIT_INTERNAL = 1;
/** A bad command-line argument. */
export const EXIT_BAD_ARGUMENT = 2;
/** A model or data file that cannot be used. */
export const EXIT_BAD_FILE = 3;
/** A limit was exceeded (context length, memory). */
export const EXIT_LIMIT = 4;
/** A network failure (connection, proxy, timeout, HTTP error). */
export const EXIT_NETWORK = 5;
/** Data that fails its checksum or size check. */
export const EXIT_INTEGRITY = 6;
/** Interrupted (Ctrl-C), as shells report SIGINT. */
export const EXIT_CANCELLED = 130;

const BY_REASON: Readonly<Record<ErrorReason, number>> = {
  [ErrorReason.BadArgument]: EXIT_BAD_ARGUMENT,
  [ErrorReason.ModelFile]: EXIT_BAD_FILE,
  [ErrorReason.Limit]: EXIT_LIMIT,
  [ErrorReason.Cancelled]: EXIT_CANCELLED,
  [ErrorReason.Network]: EXIT_NETWORK,
  [ErrorReason.Integrity]: EXIT_INTEGRITY,
};

/** The exit code for an error thrown by a command. */
export function exitCodeOf(error: unknown): number {
  return error instanceof ExpectedError ? BY_REASON[error.reason] : EXIT_INTERNAL;
}
