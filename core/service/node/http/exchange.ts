// One admitted request of `pinpoint serve` carried to the service and back: as JSON (the result,
// or `{"error": {code, message}}` with the code's status), or as server-sent events when the
// request streams and the client accepts text/event-stream (`start`, the request's own events,
// then `result` or `error`). A client that disconnects cancels its request.

import type { ServerResponse } from 'node:http';
import { toErrorData } from '../../common/errors.js';
import type { RequestOptions } from '../../common/messenger/IMessenger.js';
import type { ServiceErrorData, ServiceEvent } from '../../common/protocol.js';
import { SseStream } from './sse.js';
import { HTTP_STATUS } from './status.js';

/** Headers on every response: nothing is cached or sniffed, and no CORS header is ever sent. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'",
};

/** Name of the header with a request's id (given by the client, or made by the server). */
export const REQUEST_ID_HEADER = 'pinpoint-request-id';

/** Sends a request to the service: what the server needs of the messenger, untyped by design (the service validates). */
export type CallService = (type: string, data: unknown, options: RequestOptions<ServiceEvent>) => Promise<unknown>;

/** Writes a JSON response (unless the client is gone). */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { ...COMMON_HEADERS, ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Writes an error response: `{"error": {"code", "message"}}` with the code's status (or `status`). */
export function sendError(response: ServerResponse, error: ServiceErrorData, status: number = HTTP_STATUS[error.code], headers: Readonly<Record<string, string>> = {}): void {
  sendJson(response, status, { error }, headers);
}

/** What one exchange needs. */
export interface Exchange {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly stream: boolean;
  readonly signal: AbortSignal;
  readonly response: ServerResponse;
  readonly keepAliveMs: number;
  /** Reports an internal error (logged by the server). */
  readonly onInternal: (type: string, error: ServiceErrorData) => void;
}

/** Runs an exchange to its end; never throws. */
export async function runExchange(call: CallService, exchange: Exchange): Promise<void> {
  const { id, type, data, signal, response } = exchange;
  const idHeader = { [REQUEST_ID_HEADER]: id };
  if (!exchange.stream) {
    try {
      sendJson(response, 200, await call(type, data, { id: `http-${id}`, signal }), idHeader);
    } catch (error) {
      const coded = toErrorData(error);
      if (coded.code === 'internal') exchange.onInternal(type, coded);
      sendError(response, coded, undefined, idHeader);
    }
    return;
  }
  const sse = new SseStream(response, exchange.keepAliveMs, { ...COMMON_HEADERS, ...idHeader });
  sse.event('start', { id, type });
  try {
    const result = await call(type, data, { id: `http-${id}`, signal, onEvent: (event) => sse.event(event.type, event.data) });
    sse.event('result', result);
  } catch (error) {
    const coded = toErrorData(error);
    if (coded.code === 'internal') exchange.onInternal(type, coded);
    sse.event('error', coded);
  } finally {
    sse.end();
  }
}
