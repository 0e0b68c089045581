// Who may talk to `pinpoint serve`: a client on this machine (loopback address), naming the
// server as 127.0.0.1:PORT or localhost:PORT in its Host header (a DNS-rebinding page names its
// own domain), with no Origin header (browsers' pages send one; no CORS is offered to them),
// carrying the bearer token printed at start. The token is compared in constant time.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new bearer token: 32 random bytes, base64url (43 characters). */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** True when the Authorization header is `Bearer <token>`; the comparison takes the same time for any wrong token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '');
  // Digests have one length, so timingSafeEqual never throws and the length of the token leaks nothing.
  const given = createHash('sha256').update(match ? match[1] : '').digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

/** True when the Host header names this server on loopback: `127.0.0.1:PORT` or `localhost:PORT`. */
export function hostAllowed(header: string | undefined, port: number): boolean {
  if (!header) return false;
  const host = header.toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** True for a loopback peer address (IPv4, or IPv4 mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::ffff:127.0.0.1';
}
