// The content hash that decides whether a file changed: SHA-256 of its bytes, hex.

import { createHash } from 'node:crypto';

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
