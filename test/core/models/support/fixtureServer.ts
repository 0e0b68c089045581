// Local HTTP(S) servers on 127.0.0.1 for the download tests: a server that records every request
// and hands it to a handler, and serveBytes(), which answers like a real file server (Range,
// If-Range against an ETag or Last-Modified, 416) and can misbehave on purpose: ignore ranges,
// cut the connection after N bytes, trickle chunks slowly, or stall.

import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

/** A running server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Handles one request; `index` counts requests from 0. */
export type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

/** Starts a server on 127.0.0.1 (https when `tls` is given). */
export async function startServer(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response, requests.length - 1);
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** How serveBytes answers. */
export interface ServeOptions {
  readonly etag?: string;
  readonly lastModified?: string;
  /** Answer 200 with the whole body even when a range is asked. */
  readonly ignoreRange?: boolean;
  /** Destroy the socket (50 ms) after sending this many body bytes of this response. */
  readonly cutAfter?: number;
  /** Send this many body bytes, then nothing more (the connection stays open). */
  readonly stallAfter?: number;
  /** Send the body in chunks of this size... */
  readonly chunkSize?: number;
  /** ...waiting this long between them. */
  readonly chunkDelayMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Answers `request` with `body` as a file server would, honouring Range and If-Range. */
export function serveBytes(request: IncomingMessage, response: ServerResponse, body: Buffer, options: ServeOptions = {}): void {
  const validators: Record<string, string> = {
    ...(options.etag ? { etag: options.etag } : {}),
    ...(options.lastModified ? { 'last-modified': options.lastModified } : {}),
    'accept-ranges': 'bytes',
    ...options.headers,
  };
  const ifRange = request.headers['if-range'];
  const current = ifRange === undefined || ifRange === options.etag || ifRange === options.lastModified;
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  let start = 0;
  if (range && current && !options.ignoreRange) {
    start = Number(range[1]);
    if (start >= body.length) {
      response.writeHead(416, { ...validators, 'content-range': `bytes */${body.length}` });
      response.end();
      return;
    }
    response.writeHead(206, { ...validators, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'content-length': body.length - start });
  } else {
    response.writeHead(200, { ...validators, 'content-length': body.length });
  }
  sendBody(response, body.subarray(start), options);
}

function sendBody(response: ServerResponse, body: Buffer, options: ServeOptions): void {
  const limit = options.cutAfter ?? options.stallAfter;
  const toSend = limit === undefined ? body : body.subarray(0, limit);
  const finish = (): void => {
    // A short pause before the cut lets the client read what was sent: a socket closed at once
    // can take the bytes still buffered in the client's stream with it.
    if (options.cutAfter !== undefined) setTimeout(() => response.socket?.destroy(), 50);
    else if (options.stallAfter === undefined) response.end();
  };
  const chunkSize = options.chunkSize ?? toSend.length;
  if (!options.chunkDelayMs) {
    response.write(toSend, finish);
    return;
  }
  let offset = 0;
  const next = (): void => {
    if (response.destroyed) return;
    if (offset >= toSend.length) {
      finish();
      return;
    }
    const chunk = toSend.subarray(offset, offset + chunkSize);
    offset += chunk.length;
    response.write(chunk, () => setTimeout(next, options.chunkDelayMs));
  };
  next();
}

/** Random fixture bytes and their sha256. */
export function fixture(size: number): { body: Buffer; sha256: string } {
  const body = randomBytes(size);
  return { body, sha256: createHash('sha256').update(body).digest('hex') };
}

/** sha256 (hex) of bytes. */
export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
