// Reading a request's JSON body: the content type must be JSON, the size is limited while it
// streams in (a huge body is refused before it is all read), and bad JSON is named with where
// the parser stopped.

import type { IncomingMessage } from 'node:http';
import type { ServiceErrorCode } from '../../common/protocol.js';

/** A refusal of the HTTP layer: its status, protocol code and message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** True for `application/json`, with or without parameters (charset=utf-8). */
function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * The parsed JSON body of `request` (an empty body is `{}`).
 * @throws HttpError 415 for another content type, 413 over `limit` bytes, 400 for bad JSON.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? 0);
  const length = request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined ? 0 : declared;
  if (length > limit) throw new HttpError(413, 'limit', `The body is ${declared} bytes; the limit is ${limit}.`);
  if (!isJson(request.headers['content-type']) && (length > 0 || request.headers['transfer-encoding'] !== undefined)) {
    throw new HttpError(415, 'bad-request', `The body should be JSON (Content-Type: application/json); found ${JSON.stringify(request.headers['content-type'] ?? 'no Content-Type')}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'limit', `The body is over the limit of ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'bad-request', `Malformed JSON body: ${(error as Error).message}.`);
  }
}
