// Errors across the protocol: every failure becomes { code, message } with a stable code (see
// ServiceErrorCode in protocol.ts). ExpectedErrors map by their reason; a ServiceError carries its
// code (forbidden, not-found, ...); anything else is "internal" - a bug, logged by the service.

import { ErrorReason, ExpectedError } from '../../base/common/errors.js';
import type { ServiceErrorCode, ServiceErrorData } from './protocol.js';

/** An error with a protocol code: thrown by handlers, and what a client's request rejects with. */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** The code of each ExpectedError reason (exhaustive by construction). */
const CODE_OF_REASON = {
  [ErrorReason.BadArgument]: 'bad-request',
  [ErrorReason.ModelFile]: 'model-file',
  [ErrorReason.Cancelled]: 'cancelled',
  [ErrorReason.Limit]: 'limit',
  [ErrorReason.Network]: 'network',
  [ErrorReason.Integrity]: 'integrity',
} as const satisfies Record<ErrorReason, ServiceErrorCode>;

/** Every error code, for checks of messages that arrive. */
export const SERVICE_ERROR_CODES: readonly ServiceErrorCode[] = [
  'bad-request', 'not-found', 'forbidden', 'cancelled', 'model-file', 'limit', 'network', 'integrity', 'internal',
];

/** The protocol code of any thrown value. */
export function errorCodeOf(error: unknown): ServiceErrorCode {
  if (error instanceof ServiceError) return error.code;
  if (error instanceof ExpectedError) return CODE_OF_REASON[error.reason] ?? 'internal';
  return 'internal';
}

/** What travels for a thrown value; an internal error keeps only its message (no stack). */
export function toErrorData(error: unknown): ServiceErrorData {
  const message = error instanceof Error ? error.message : String(error);
  return { code: errorCodeOf(error), message: message || 'unknown error' };
}

/** The error a client's request rejects with. */
export function fromErrorData(data: ServiceErrorData): ServiceError {
  return new ServiceError(data.code, data.message);
}
