// The messenger: one typed interface for both ends of the protocol, whatever carries the messages
// (in-process, a worker thread, a child process, HTTP). One side answers requests with `on`, the
// other sends them with `request` (a promise of the result, streamed events to a callback,
// cancellation by AbortSignal) or `send` (fire and forget). As in Continue's IMessenger.

import type { NoRequests, RequestMap } from '../protocol.js';

/** What a handler gets besides the request's data. */
export interface RequestContext<E> {
  /** The request's id (unique among the requests in flight). */
  readonly id: string;
  /** Fires when the caller cancels (or disconnects, or the messenger closes). */
  readonly signal: AbortSignal;
  /** Streams an event to the caller; ignored once the request has settled. */
  emit(event: E): void;
}

/** Answers requests of type `K` of `P`. */
export type RequestHandler<P extends RequestMap, K extends keyof P> = (data: P[K][0], context: RequestContext<P[K][2]>) => Promise<P[K][1]> | P[K][1];

/** Options of a request. */
export interface RequestOptions<E> {
  /** Cancels the request: the promise rejects with a ServiceError "cancelled" and the handler's signal fires. */
  readonly signal?: AbortSignal;
  /** Receives each streamed event, in order, before the promise settles. */
  readonly onEvent?: (event: E) => void;
  /** The request's id; default a new one. Must be unique among this messenger's requests in flight. */
  readonly id?: string;
}

/** Something to undo. */
export interface Disposable {
  dispose(): void;
}

/**
 * One end of the protocol: answers the requests of `Handles` and sends the requests of `Calls`.
 * The service's end is `IMessenger<ToService, NoRequests>`; a shell's is `IMessenger<NoRequests, ToService>`.
 */
export interface IMessenger<Handles extends RequestMap = NoRequests, Calls extends RequestMap = NoRequests> {
  /** Registers the handler of `type` (one per type; a second replaces the first). */
  on<K extends keyof Handles & string>(type: K, handler: RequestHandler<Handles, K>): Disposable;
  /**
   * Sends a request and resolves with its result.
   * @throws ServiceError with the protocol's code (bad-request, forbidden, cancelled, ...).
   */
  request<K extends keyof Calls & string>(type: K, data: Calls[K][0], options?: RequestOptions<Calls[K][2]>): Promise<Calls[K][1]>;
  /** Sends a request whose result is not awaited; a failure goes to the onError listeners. Returns its id. */
  send<K extends keyof Calls & string>(type: K, data: Calls[K][0]): string;
  /** Cancels a request in flight by id (of this end's requests); false when none has that id. */
  cancel(id: string): boolean;
  /** Listens for errors that have no caller to go to: transport failures, malformed messages, internal handler errors. */
  onError(listener: (error: Error) => void): Disposable;
  /** Closes the messenger: requests in flight reject, handlers' signals fire. */
  dispose(): void;
}
