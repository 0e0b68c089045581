// A tiny HTTP server on 127.0.0.1 for the OpenAI-compatible client's tests: each test gives the
// handler that speaks the protocol (or breaks it); the server records every request (method,
// path, headers, JSON body) and whether the client closed the connection before the response
// ended, and helpers write server-sent events piece by piece.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** The JSON body, parsed (undefined when empty). */
  readonly body: Record<string, unknown> | undefined;
  /** Resolves when the client closed the connection before the response ended (it never resolves otherwise). */
  readonly clientClosed: Promise<void>;
}

export type Handler = (request: SeenRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server on a free port of 127.0.0.1 with `handler`. */
export async function startServer(handler: Handler): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const clientClosed = new Promise<void>((resolve) => res.on('close', () => {
        if (!res.writableFinished) resolve();
      }));
      const seen: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, clientClosed };
      requests.push(seen);
      Promise.resolve(handler(seen, res, req)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(599);
        res.end(String(error));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts an SSE response. */
export function startEvents(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
}

/**
 * Writes `bytes` in pieces whose sizes cycle through `sizes`, yielding to the event loop between
 * them so that they travel apart (the client then reads them as separate chunks).
 */
export async function writeInPieces(res: ServerResponse, bytes: Uint8Array, sizes: readonly number[]): Promise<void> {
  for (let at = 0, i = 0; at < bytes.length; at += sizes[i++ % sizes.length]) {
    if (res.destroyed) return;
    res.write(bytes.subarray(at, at + sizes[i % sizes.length]));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resolves with `promise`, or rejects naming `what` after `ms` (so that a test fails instead of hanging). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A streamed chat chunk's JSON with a content delta (and a finish reason). */
export function chunk(content: string | null, finishReason: string | null = null, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'test-model',
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finishReason }],
    ...extra,
  });
}

/** Sends a JSON response. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}
