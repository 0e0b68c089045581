// What travels between two messengers, and the one thing a transport must do: carry these
// envelopes both ways (a structured clone or JSON), and say when the other end is gone. Every
// envelope is checked on arrival: the other end may be a crashed worker or a hostile peer.

import { SERVICE_ERROR_CODES } from '../errors.js';
import type { ServiceErrorData } from '../protocol.js';

/** An envelope: a request, its cancellation, a streamed event, its result or its error. */
export type WireMessage =
  | { readonly kind: 'request'; readonly id: string; readonly type: string; readonly data: unknown }
  | { readonly kind: 'cancel'; readonly id: string }
  | { readonly kind: 'event'; readonly id: string; readonly type: string; readonly data: unknown }
  | { readonly kind: 'result'; readonly id: string; readonly data: unknown }
  | { readonly kind: 'error'; readonly id: string; readonly error: ServiceErrorData };

/** Carries envelopes to the other end. */
export interface Transport {
  /** Sends one envelope (its data must survive a structured clone). */
  post(message: WireMessage): void;
  /** Sets the receiver of what arrives (unchecked: the messenger checks it). */
  onMessage(listener: (message: unknown) => void): void;
  /** Sets what runs when the other end is gone (with the reason, when known). */
  onClose(listener: (error?: Error) => void): void;
  /** Closes this end. */
  close(): void;
}

/** Longest id of a request. */
const MAX_ID_LENGTH = 128;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
const isType = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;

/** Checks an arriving envelope; returns undefined for anything malformed. */
export function parseWireMessage(value: unknown): WireMessage | undefined {
  if (!isRecord(value) || !isId(value.id)) return undefined;
  const { kind, id } = value;
  switch (kind) {
    case 'request':
    case 'event':
      return isType(value.type) ? { kind, id, type: value.type, data: value.data } : undefined;
    case 'cancel':
      return { kind, id };
    case 'result':
      return { kind, id, data: value.data };
    case 'error': {
      const error = value.error;
      if (!isRecord(error) || typeof error.message !== 'string' || !(SERVICE_ERROR_CODES as readonly unknown[]).includes(error.code)) return undefined;
      return { kind, id, error: { code: error.code as ServiceErrorData['code'], message: error.message } };
    }
    default:
      return undefined;
  }
}
