// Server-sent events (text/event-stream): one `event:` line and one `data:` line of JSON per
// event, a blank line after each, and a comment line every few seconds so that proxies and
// clients do not take a quiet stream (a long prefill) for a dead one.

import type { ServerResponse } from 'node:http';

/** Writes one response as a stream of server-sent events. */
export class SseStream {
  private readonly timer: NodeJS.Timeout;

  /** Sends the headers at once (with `headers` added), and starts the keep-alive comments. */
  constructor(
    private readonly response: ServerResponse,
    keepAliveMs: number,
    headers: Readonly<Record<string, string>> = {},
  ) {
    response.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    response.flushHeaders();
    this.timer = setInterval(() => this.write(': keep-alive\n\n'), keepAliveMs);
    this.timer.unref();
  }

  /** Sends one event; JSON keeps the data on one line (newlines in strings are escaped). */
  event(type: string, data: unknown): void {
    this.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Stops the keep-alive comments and ends the response. */
  end(): void {
    clearInterval(this.timer);
    if (!this.response.writableEnded) this.response.end();
  }

  private write(text: string): void {
    if (!this.response.writableEnded && !this.response.destroyed) this.response.write(text);
  }
}
