// A GET that follows redirects (Hugging Face's `resolve` URLs answer 302 to a CDN): at most
// `maxRedirects` hops, relative Locations resolved, and never from https down to http or to a
// scheme other than http(s). The headers of every hop are kept, because the checksum a server
// declares (X-Linked-ETag) is on the redirect, not on the CDN's response.

import type { IncomingMessage } from 'node:http';
import { NetworkError } from '../common/downloadErrors.js';
import type { HeaderMap } from '../common/httpHeaders.js';
import { sendRequest, type RequestOptions } from './httpRequest.js';

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** The final response of a request and what led to it. */
export interface FollowedResponse {
  readonly response: IncomingMessage;
  /** The URL that gave `response`. */
  readonly url: URL;
  /** Headers of every response, the first request's first. */
  readonly hops: readonly HeaderMap[];
}

/** The next URL of a redirect from `from`, or a NetworkError saying why it is refused. */
function redirectTarget(response: IncomingMessage, from: URL): URL {
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (!location) throw new NetworkError(`HTTP ${status} redirect from ${from.href} has no Location header`, false, status);
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new NetworkError(`HTTP ${status} redirect from ${from.href} to an invalid Location "${location}"`, false, status);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new NetworkError(`refused redirect from ${from.href} to ${next.href}: only http and https are followed`, false, status);
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') {
    throw new NetworkError(`refused redirect from ${from.href} to ${next.href}: it would continue over unencrypted http`, false, status);
  }
  return next;
}

/**
 * GETs `url`, following up to `maxRedirects` redirects with the same headers.
 * @throws NetworkError for too many redirects, a refused or malformed redirect, or a failed request.
 */
export async function getFollowingRedirects(url: URL, options: RequestOptions, maxRedirects: number): Promise<FollowedResponse> {
  const hops: HeaderMap[] = [];
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await sendRequest(current, options);
    hops.push(response.headers);
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0)) return { response, url: current, hops };
    response.resume();
    if (redirects >= maxRedirects) {
      throw new NetworkError(`too many redirects: more than ${maxRedirects} starting at ${url.href}`, false, response.statusCode);
    }
    current = redirectTarget(response, current);
  }
}
