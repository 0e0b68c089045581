// Test helpers for `pinpoint serve`: requests with full control of the headers (fetch would not
// let a test set Host or Origin), JSON replies, and server-sent event streams read event by
// event, which a test can cut off (a client disconnecting).

import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ClientRequest } from 'node:http';

/** Where a server is and the token it wants. */
export interface Target {
  readonly port: number;
  readonly token: string;
}

/** Options of one request; `body` as an object is sent as JSON, as a string verbatim. */
export interface Call {
  readonly path: string;
  readonly body?: unknown;
  readonly method?: string;
  /** Headers to add or override; `null` removes a default (authorization, host, content-type). */
  readonly headers?: Readonly<Record<string, string | null>>;
}

/** A reply: status, headers, the body as text and (when it parses) as JSON. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly json: unknown;
}

function open(target: Target, call: Call): { request: ClientRequest; response: Promise<IncomingMessage> } {
  const body = call.body === undefined ? '' : typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  const defaults: Record<string, string> = {
    host: `127.0.0.1:${target.port}`,
    authorization: `Bearer ${target.token}`,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  };
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...defaults, ...call.headers })) if (value !== null) headers[key] = value;
  const request = httpRequest({ host: '127.0.0.1', port: target.port, path: call.path, method: call.method ?? 'POST', headers, setHost: false, agent: false });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  request.end(body);
  return { request, response };
}

/** Sends a request and reads the whole reply. */
export async function post(target: Target, call: Call): Promise<Reply> {
  const response = await open(target, call).response;
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode ?? 0, headers: response.headers, text, json };
}

/** One server-sent event (`comment` for a `:` line). */
export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** An open event stream: events as they come, and a way to hang up. */
export interface EventStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Events until the stream ends (or is cut). */
  readonly events: AsyncIterable<SseEvent>;
  /** Destroys the connection, as a client that goes away. */
  hangUp(): void;
}

async function* parseEvents(response: IncomingMessage): AsyncGenerator<SseEvent> {
  let buffer = '';
  try {
    for await (const chunk of response) {
      buffer += (chunk as Buffer).toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) {
          yield { event: 'comment', data: block.slice(1).trim() };
          continue;
        }
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        yield { event, data: data === undefined ? undefined : JSON.parse(data) };
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET' && (error as Error).message !== 'aborted') throw error;
  }
}

/** Sends a request that asks for an event stream. */
export async function openStream(target: Target, call: Call): Promise<EventStream> {
  const { request, response: pending } = open(target, { ...call, headers: { accept: 'text/event-stream', ...call.headers } });
  const response = await pending;
  return { status: response.statusCode ?? 0, headers: response.headers, events: parseEvents(response), hangUp: () => request.destroy() };
}

/** Every event of a stream, to its end. */
export async function allEvents(stream: EventStream): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of stream.events) events.push(event);
  return events;
}
