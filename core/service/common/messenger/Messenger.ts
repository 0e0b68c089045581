// The one IMessenger implementation, over any Transport. As the answering end it checks each
// arriving request (envelope, then the validator of its type) before its handler runs, gives the
// handler an AbortSignal that fires on cancel, streams the handler's events and replies with the
// result or a coded error. As the calling end it keeps the requests in flight by id, hands
// events to their callbacks, cancels on AbortSignal, and rejects everything if the other end dies.

import { BugIndicatingError } from '../../../base/common/errors.js';
import { ServiceError, fromErrorData, toErrorData } from '../errors.js';
import type { NoRequests, RequestMap, ServiceErrorData } from '../protocol.js';
import type { Disposable, IMessenger, RequestContext, RequestHandler, RequestOptions } from './IMessenger.js';
import { parseWireMessage, type Transport, type WireMessage } from './wire.js';

/** Options of a Messenger. */
export interface MessengerOptions {
  /** Checks an arriving request's data by its type before the handler runs; throws a ServiceError. Default: no check. */
  readonly validate?: (type: string, data: unknown) => unknown;
  /** Prefix of the ids this end gives its requests; default "r". */
  readonly idPrefix?: string;
}

type AnyHandler = (data: unknown, context: RequestContext<unknown>) => unknown;

interface Pending {
  readonly type: string;
  readonly onEvent?: (event: never) => void;
  readonly settle: (error: ServiceError | undefined, result?: unknown) => void;
}

const cancelledError = (type: string): ServiceErrorData => ({ code: 'cancelled', message: `${type} was cancelled` });

/** The start of a value as JSON, for a message (anything JSON cannot show is shown by String). */
function preview(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 200);
  } catch {
    return String(value).slice(0, 200);
  }
}

/** A messenger over a transport; see IMessenger. */
export class Messenger<Handles extends RequestMap = NoRequests, Calls extends RequestMap = NoRequests> implements IMessenger<Handles, Calls> {
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly pending = new Map<string, Pending>();
  private readonly running = new Map<string, AbortController>();
  private readonly errorListeners = new Set<(error: Error) => void>();
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly options: MessengerOptions = {},
  ) {
    transport.onMessage((raw) => this.receive(raw));
    transport.onClose((error) => this.closeAll(error));
  }

  on<K extends keyof Handles & string>(type: K, handler: RequestHandler<Handles, K>): Disposable {
    this.handlers.set(type, handler as AnyHandler);
    return { dispose: () => this.handlers.get(type) === handler && this.handlers.delete(type) };
  }

  request<K extends keyof Calls & string>(type: K, data: Calls[K][0], options: RequestOptions<Calls[K][2]> = {}): Promise<Calls[K][1]> {
    const id = options.id ?? this.newId();
    const { signal } = options;
    if (this.closed) return Promise.reject(new ServiceError('internal', `cannot send ${type}: the messenger is closed`));
    if (this.pending.has(id)) return Promise.reject(new ServiceError('bad-request', `a request with id "${id}" is already in flight`));
    if (signal?.aborted) return Promise.reject(fromErrorData(cancelledError(type)));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.post({ kind: 'cancel', id });
        settle(fromErrorData(cancelledError(type)));
      };
      const settle = (error: ServiceError | undefined, result?: unknown): void => {
        this.pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(result as Calls[K][1]);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { type, onEvent: options.onEvent as ((event: never) => void) | undefined, settle });
      try {
        this.transport.post({ kind: 'request', id, type, data });
      } catch (error) {
        settle(new ServiceError('bad-request', `${type} could not be sent: ${(error as Error).message}`));
      }
    });
  }

  send<K extends keyof Calls & string>(type: K, data: Calls[K][0]): string {
    const id = this.newId();
    this.request(type, data, { id }).catch((error: unknown) => {
      if (!(error instanceof ServiceError && error.code === 'cancelled')) this.report(error);
    });
    return id;
  }

  cancel(id: string): boolean {
    const request = this.pending.get(id);
    if (!request) return false;
    this.post({ kind: 'cancel', id });
    request.settle(fromErrorData(cancelledError(request.type)));
    return true;
  }

  onError(listener: (error: Error) => void): Disposable {
    this.errorListeners.add(listener);
    return { dispose: () => this.errorListeners.delete(listener) };
  }

  dispose(): void {
    if (this.closed) return;
    this.closeAll();
    this.transport.close();
  }

  private newId(): string {
    return `${this.options.idPrefix ?? 'r'}${++this.nextId}`;
  }

  private report(error: unknown): void {
    const value = error instanceof Error ? error : new BugIndicatingError(String(error));
    for (const listener of this.errorListeners) listener(value);
  }

  /** Posts an envelope; a result that cannot be sent (not cloneable) becomes an internal error. */
  private post(message: WireMessage): void {
    if (this.closed) return;
    try {
      this.transport.post(message);
    } catch (error) {
      this.report(error);
      if (message.kind === 'result' || message.kind === 'event') {
        this.post({ kind: 'error', id: message.id, error: { code: 'internal', message: `the ${message.kind} could not be sent: ${(error as Error).message}` } });
      }
    }
  }

  private receive(raw: unknown): void {
    const message = parseWireMessage(raw);
    if (!message) return this.report(new ServiceError('bad-request', `malformed message dropped: ${preview(raw)}`));
    if (message.kind === 'request') return this.answer(message.id, message.type, message.data);
    if (message.kind === 'cancel') return void this.running.get(message.id)?.abort();
    const request = this.pending.get(message.id);
    if (!request) return; // late: the request was cancelled or has settled
    if (message.kind === 'event') {
      try {
        request.onEvent?.({ type: message.type, data: message.data } as never);
      } catch (error) {
        this.report(error);
      }
    } else if (message.kind === 'result') request.settle(undefined, message.data);
    else request.settle(fromErrorData(message.error));
  }

  private answer(id: string, type: string, data: unknown): void {
    if (this.running.has(id)) {
      this.post({ kind: 'error', id, error: { code: 'bad-request', message: `a request with id "${id}" is already running` } });
      return;
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    void this.run(id, type, data, controller).finally(() => this.running.delete(id));
  }

  private async run(id: string, type: string, data: unknown, controller: AbortController): Promise<void> {
    const { signal } = controller;
    let settled = false;
    let reply: WireMessage;
    try {
      const checked = this.options.validate ? this.options.validate(type, data) : data;
      const handler = this.handlers.get(type);
      if (!handler) throw new ServiceError('not-found', `This service does not answer "${type}" (no handler is registered for it).`);
      const emit = (event: unknown): void => {
        const { type: eventType, data: eventData } = event as { type: string; data: unknown };
        if (!settled && !signal.aborted) this.post({ kind: 'event', id, type: eventType, data: eventData });
      };
      const result = await handler(checked, { id, signal, emit });
      reply = signal.aborted ? { kind: 'error', id, error: cancelledError(type) } : { kind: 'result', id, data: result };
    } catch (error) {
      const coded = signal.aborted ? cancelledError(type) : toErrorData(error);
      if (coded.code === 'internal') this.report(error);
      reply = { kind: 'error', id, error: coded };
    }
    settled = true;
    this.post(reply);
  }

  private closeAll(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const request of [...this.pending.values()]) {
      request.settle(new ServiceError('internal', `the service stopped before answering ${request.type}${error ? `: ${error.message}` : ''}`));
    }
    for (const controller of this.running.values()) controller.abort();
    if (error) this.report(error);
  }
}
