// Reading the HTTP headers a resumable, verifiable download depends on: Content-Range of a 206,
// the validators (ETag, Last-Modified) sent back in If-Range, and the checksum a server declares.
// Hugging Face declares a file's sha256 in `X-Linked-ETag` on the `resolve` redirect (LFS files)
// and the git blob id (sha1 of "blob <size>\0" + bytes) in `ETag` for small non-LFS files, next to
// `X-Repo-Commit`; other servers may send a sha256 as the ETag of the URL itself.

/** Response headers, as Node's IncomingHttpHeaders (lowercase names). */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One header's value; the first of a repeated header. */
export function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/** A `Content-Range: bytes start-end/total` (total undefined for `*`). */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly total: number | undefined;
}

/** Parses `bytes 100-199/1000` or `bytes 100-199/*`; undefined for anything else. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const match = value ? /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value) : null;
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (end < start || (total !== undefined && end >= total)) return undefined;
  return { start, end, total };
}

/** The total of a `Content-Range: bytes * /total` sent with 416. */
export function unsatisfiedRangeTotal(value: string | undefined): number | undefined {
  const match = value ? /^\s*bytes\s+\*\/(\d+)\s*$/i.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

/** What a resumed request sends in If-Range to get the rest of the same version of a file. */
export interface Validators {
  /** A strong ETag, quoted as received. */
  readonly etag?: string;
  readonly lastModified?: string;
}

/** The validators of a response; a weak ETag (W/"...") cannot be used in If-Range and is left out. */
export function validatorsOf(headers: HeaderMap): Validators {
  const etag = header(headers, 'etag');
  const lastModified = header(headers, 'last-modified');
  return {
    ...(etag && !etag.startsWith('W/') ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
  };
}

/** The If-Range value for `validators`: the ETag, else Last-Modified; undefined when neither. */
export function ifRangeValue(validators: Validators | undefined): string | undefined {
  return validators?.etag ?? validators?.lastModified;
}

/** `"abc"`, `W/"abc"` -> `abc`, lowercase. */
function bareTag(value: string | undefined): string | undefined {
  return value?.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1').toLowerCase();
}

const SHA256 = /^[0-9a-f]{64}$/;
const SHA1 = /^[0-9a-f]{40}$/;

/** Checksums a server declares for a file. */
export interface DeclaredDigest {
  /** sha256 of the file's bytes (hex). */
  readonly sha256?: string;
  /** Git blob id of the file (hex sha1 of "blob <size>\0" + bytes). */
  readonly gitBlobSha1?: string;
}

/**
 * The checksum declared by the responses of one request, first hop first: `X-Linked-ETag` of any
 * hop when it is a sha256; else the first hop's own ETag when it is a sha256, or a 40-hex git blob
 * id when the first hop is a Hugging Face response (it has `X-Repo-Commit`). ETags of later hops
 * (CDNs) are not trusted as checksums: their format is the CDN's.
 */
export function declaredDigest(hops: readonly HeaderMap[]): DeclaredDigest {
  for (const headers of hops) {
    const linked = bareTag(header(headers, 'x-linked-etag'));
    if (linked && SHA256.test(linked)) return { sha256: linked };
  }
  const first = hops[0];
  const etag = first ? bareTag(header(first, 'etag')) : undefined;
  if (!first || !etag) return {};
  if (SHA256.test(etag)) return { sha256: etag };
  if (SHA1.test(etag) && header(first, 'x-repo-commit') !== undefined) return { gitBlobSha1: etag };
  return {};
}
