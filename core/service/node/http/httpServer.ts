// The HTTP face of the service (`pinpoint serve`): 127.0.0.1 only, every request admitted by
// auth.ts (loopback peer, Host header, no Origin, bearer token), `POST /v1/<area>/<verb>` with a
// JSON body carried to the service by exchange.ts, `POST /v1/cancel {"id"}` to cancel a request
// in flight. A bad request or a failing handler gets its error response and the server goes on.
// close() cancels what is in flight, lets the streams end and stops.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArgumentError } from '../../../base/common/errors.js';
import type { ServiceError } from '../../common/errors.js';
import type { IMessenger } from '../../common/messenger/IMessenger.js';
import { isStreamed } from '../../common/messageTypes.js';
import type { NoRequests, ToService } from '../../common/protocol.js';
import { Fields } from '../../common/validation/fields.js';
import { bearerMatches, hostAllowed, isLoopbackAddress } from './auth.js';
import { HttpError, readJsonBody } from './body.js';
import { REQUEST_ID_HEADER, runExchange, sendError, sendJson, type CallService } from './exchange.js';

/** The address the server listens on: loopback only, never another interface. */
export const LISTEN_HOST = '127.0.0.1';

/** Options of startHttpServer. */
export interface HttpServerOptions {
  /** The calling end of the service (a ServiceHost's messenger). */
  readonly messenger: IMessenger<NoRequests, ToService>;
  /** The bearer token every request must carry. */
  readonly token: string;
  /** Port; default 0 (a free one, chosen by the system). */
  readonly port?: number;
  /** Largest request body in bytes; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Milliseconds between keep-alive comments of an event stream; default 15,000. */
  readonly keepAliveMs?: number;
  /** Requests in flight at most; default 64. */
  readonly maxInFlight?: number;
  /** Receives log lines (internal errors, refusals of the first kind); default none. */
  readonly log?: (line: string) => void;
}

/** A listening server. */
export interface HttpServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Cancels requests in flight, ends their streams and stops listening. */
  close(): Promise<void>;
}

const ROUTE = /^\/v1\/([a-z]+\/[a-z]+)$/;
const REQUEST_ID: RegExp = /^[A-Za-z0-9_-]{1,64}$/;

class Server {
  private readonly inFlight = new Map<string, AbortController>();
  private readonly running = new Set<Promise<void>>();
  private closing = false;
  private port = 0;

  constructor(
    private readonly options: HttpServerOptions,
    private readonly call: CallService,
  ) {}

  setPort(port: number): void {
    this.port = port;
  }

  /** The refusal of a request before its body is read, or undefined to admit it. */
  private admit(request: IncomingMessage): HttpError | undefined {
    if (!isLoopbackAddress(request.socket.remoteAddress)) return new HttpError(403, 'forbidden', 'Only clients on this machine may connect.');
    if (!hostAllowed(request.headers.host, this.port)) {
      return new HttpError(403, 'forbidden', `Host ${JSON.stringify(request.headers.host ?? '')} is refused: use 127.0.0.1:${this.port} or localhost:${this.port}.`);
    }
    if (request.headers.origin !== undefined) return new HttpError(403, 'forbidden', 'Requests from web pages (with an Origin header) are refused.');
    if (!bearerMatches(request.headers.authorization, this.options.token)) return new HttpError(401, 'forbidden', 'Missing or wrong bearer token (Authorization: Bearer <token>).');
    if (request.method !== 'POST') return new HttpError(405, 'bad-request', `Method ${request.method} is not allowed: use POST.`);
    if (this.closing) return new HttpError(503, 'limit', 'The server is shutting down.');
    return undefined;
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    const done = this.serve(request, response).catch((error: unknown) => {
      this.options.log?.(`internal error on ${request.url}: ${(error as Error).stack ?? String(error)}`);
      sendError(response, { code: 'internal', message: `Internal error: ${(error as Error).message}` });
    });
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const refusal = this.admit(request);
      if (refusal) throw refusal;
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/v1/cancel') return this.cancel(await readJsonBody(request, this.options.maxBodyBytes ?? 1 << 20), response);
      const type = ROUTE.exec(path)?.[1];
      if (!type) throw new HttpError(404, 'not-found', `No route ${JSON.stringify(path)}: use POST /v1/<area>/<verb> or POST /v1/cancel.`);
      const id = this.requestId(request);
      const data = await readJsonBody(request, this.options.maxBodyBytes ?? 1 << 20);
      await this.exchange(id, type, data, request, response);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const headers: Record<string, string> = error.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : error.status === 405 ? { Allow: 'POST' } : {};
      if (error.status === 413) headers.Connection = 'close';
      sendError(response, { code: error.code, message: error.message }, error.status, headers);
    }
  }

  /** The client's request id (checked) or a new one. */
  private requestId(request: IncomingMessage): string {
    const given = request.headers[REQUEST_ID_HEADER];
    if (given === undefined) return randomUUID();
    if (typeof given !== 'string' || !REQUEST_ID.test(given)) throw new HttpError(400, 'bad-request', `The ${REQUEST_ID_HEADER} header should be 1 to 64 letters, digits, "_" or "-".`);
    if (this.inFlight.has(given)) throw new HttpError(400, 'bad-request', `A request with id "${given}" is already in flight.`);
    return given;
  }

  private async exchange(id: string, type: string, data: unknown, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.inFlight.size >= (this.options.maxInFlight ?? 64)) throw new HttpError(429, 'limit', `Too many requests in flight (${this.inFlight.size}).`);
    if (this.inFlight.has(id)) throw new HttpError(400, 'bad-request', `A request with id "${id}" is already in flight.`);
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    response.once('close', () => response.writableFinished || controller.abort());
    const stream = isStreamed(type) && (request.headers.accept ?? '').includes('text/event-stream');
    try {
      await runExchange(this.call, {
        id, type, data, stream, signal: controller.signal, response, keepAliveMs: this.options.keepAliveMs ?? 15_000,
        onInternal: (what, error) => this.options.log?.(`${what} (${id}) failed: ${error.message}`),
      });
    } finally {
      this.inFlight.delete(id);
    }
  }

  private cancel(body: unknown, response: ServerResponse): void {
    let id: string;
    try {
      id = Fields.of('cancel', body, ['id']).string('id', { max: 64, pattern: REQUEST_ID, patternText: 'a request id' });
    } catch (error) {
      throw new HttpError(400, 'bad-request', (error as ServiceError).message);
    }
    const controller = this.inFlight.get(id);
    if (!controller) throw new HttpError(404, 'not-found', `No request "${id}" is in flight.`);
    controller.abort();
    sendJson(response, 200, { cancelled: true, id });
  }

  async close(closeServer: () => Promise<void>, closeIdle: () => void, closeAll: () => void): Promise<void> {
    this.closing = true;
    for (const controller of this.inFlight.values()) controller.abort();
    const stopped = closeServer();
    closeIdle();
    const grace = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    closeAll();
    await stopped;
  }
}

/** Starts the server on 127.0.0.1 and resolves once it listens. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const messenger = options.messenger;
  const call: CallService = (type, data, requestOptions) => messenger.request(type as keyof ToService & string, data as never, requestOptions as never);
  const state = new Server(options, call);
  // requireHostHeader off: a request without Host gets this server's 403 with its reason, not Node's bare 400.
  const server = createServer({ requireHostHeader: false }, (request, response) => state.handle(request, response));
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new ArgumentError(`Cannot listen on ${LISTEN_HOST}:${options.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}; choose another port (0 picks a free one).`) : error),
    );
    server.listen({ host: LISTEN_HOST, port: options.port ?? 0 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  state.setPort(port);
  server.on('clientError', (_error, socket) => socket.destroy());
  return {
    url: `http://${LISTEN_HOST}:${port}`,
    port,
    close: () =>
      state.close(
        () => new Promise<void>((resolve) => server.close(() => resolve())),
        () => server.closeIdleConnections(),
        () => server.closeAllConnections(),
      ),
  };
}
