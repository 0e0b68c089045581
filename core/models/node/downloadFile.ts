// Downloads one file, resumably and verified. Bytes stream into `<dest>.part`; after a cut
// connection (or a restart of the process) the next attempt asks for the rest with `Range` and
// `If-Range` (the ETag or Last-Modified saved in `<dest>.part.json`) and appends only on a 206
// whose Content-Range starts where the .part ends; a 200 means the server ignored the range or the
// file changed, so it starts from zero. The sha256 covers the kept bytes (hashed from disk) and the
// new ones; the file is renamed into place only when its size and checksum match - the pinned
// sha256, else the one the server declares (X-Linked-ETag / ETag, or Hugging Face's git blob id);
// with neither the download is refused unless `allowUnverified`. A bad checksum removes the
// .part. Resets, stalls, 5xx, 408 and 429 are retried with exponential backoff; a cancel keeps
// the .part for a later resume. core/models/README.md describes the algorithm.

import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, dirname, resolve } from 'node:path';
import { ArgumentError, CancelledError, throwIfAborted } from '../../base/common/errors.js';
import { httpStatusError, IntegrityError, NetworkError } from '../common/downloadErrors.js';
import {
  declaredDigest, header, ifRangeValue, parseContentRange, unsatisfiedRangeTotal, validatorsOf, type DeclaredDigest,
} from '../common/httpHeaders.js';
import { ProgressReporter, type DownloadProgress } from '../common/progress.js';
import type { Environment } from '../common/proxy.js';
import { getFollowingRedirects } from './followRedirects.js';
import { hashPrefix, partialPaths, readPartialState, removePartial, sizeOrZero, writePartialState } from './partialFile.js';
import { receiveBody } from './receiveBody.js';
import { verifyDownload, type Verification } from './verifyDownload.js';

/** How a downloaded file was verified (defined in verifyDownload.ts). */
export type { Verification } from './verifyDownload.js';

/** How to download; every field is optional. */
export interface DownloadOptions {
  /** Expected sha256 (hex); null or absent: use the checksum the server declares. */
  readonly sha256?: string | null;
  /** Expected size in bytes; null or absent: not checked. */
  readonly size?: number | null;
  /** Accept a file that neither a pinned nor a server-declared checksum can verify. Default false. */
  readonly allowUnverified?: boolean;
  /** Called with progress at most every `progressIntervalMs`, and once at the end. */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Cancels the download; the .part file is kept. */
  readonly signal?: AbortSignal;
  /** Proxy variables (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY). Default: process.env. */
  readonly env?: Environment;
  /** Further attempts after a retryable failure (counted anew once an attempt makes progress). Default 5. */
  readonly retries?: number;
  /** First wait before a retry, doubled each time up to 30 s. Default 1000 ms. */
  readonly retryDelayMs?: number;
  /** Give up on an attempt when no byte (or no response) arrives for this long. Default 60 s. */
  readonly stallTimeoutMs?: number;
  /** Redirects followed at most. Default 10. */
  readonly maxRedirects?: number;
  /** Least time between progress events. Default 250 ms. */
  readonly progressIntervalMs?: number;
  /** Certificates to trust besides the system's (PEM). */
  readonly ca?: string | readonly string[];
}

/** A completed download. */
export interface DownloadResult {
  /** Absolute path of the file. */
  readonly path: string;
  readonly bytes: number;
  /** sha256 (hex) of the file. */
  readonly sha256: string;
  readonly verifiedBy: Verification;
  /** Bytes kept from an earlier attempt or run when the last attempt resumed (0 when it did not). */
  readonly resumedFrom: number;
  /** HTTP requests made (attempts, not redirects). */
  readonly attempts: number;
}

type Settings = Required<Omit<DownloadOptions, 'onProgress' | 'signal' | 'ca' | 'sha256' | 'size'>> & DownloadOptions;

/** What one attempt ended with. */
type Outcome =
  | { readonly kind: 'complete'; readonly bytes: number; readonly sha256: string; readonly declared: DeclaredDigest }
  | { readonly kind: 'restart' };

const SHA256 = /^[0-9a-f]{64}$/;

/** Resolves after `ms`, or rejects with CancelledError when `signal` fires first. */
function delay(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancel);
      done();
    }, ms);
    const cancel = (): void => {
      clearTimeout(timer);
      fail(new CancelledError(what));
    };
    signal?.addEventListener('abort', cancel, { once: true });
  });
}

function numberHeader(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

class Download {
  private readonly paths;
  private readonly reporter: ProgressReporter | undefined;
  private readonly what: string;
  private restarts = 0;
  private resumedFrom = 0;

  constructor(
    private readonly url: URL,
    private readonly destination: string,
    private readonly settings: Settings,
  ) {
    this.paths = partialPaths(destination);
    this.what = `download of ${basename(destination)}`;
    const { onProgress } = settings;
    this.reporter = onProgress ? new ProgressReporter(onProgress, settings.progressIntervalMs) : undefined;
  }

  async run(): Promise<DownloadResult> {
    throwIfAborted(this.settings.signal, this.what);
    await mkdir(dirname(this.destination), { recursive: true });
    let failures = 0;
    for (let attempts = 1; ; attempts++) {
      const before = await sizeOrZero(this.paths.part);
      try {
        const outcome = await this.attempt();
        if (outcome.kind === 'complete') return await this.finish(outcome, attempts);
      } catch (error) {
        if (this.settings.signal?.aborted && !(error instanceof CancelledError)) throw new CancelledError(this.what);
        if (!(error instanceof NetworkError) || !error.retryable) throw error;
        failures = (await sizeOrZero(this.paths.part)) > before ? 1 : failures + 1;
        if (failures > this.settings.retries) {
          throw new NetworkError(`download of ${this.url.href} failed after ${attempts} attempts; last: ${error.message}. The partial file ${this.paths.part} is kept: run again to resume`, false, error.status);
        }
        const backoff = Math.min(30_000, this.settings.retryDelayMs * 2 ** (failures - 1));
        await delay(Math.max(backoff, Math.min(60_000, error.retryAfterMs ?? 0)), this.settings.signal, this.what);
      }
    }
  }

  /** One request: resume or start, check the answer, receive the body into the .part file. */
  private async attempt(): Promise<Outcome> {
    let held = await sizeOrZero(this.paths.part);
    const saved = held > 0 ? await readPartialState(this.paths.state) : undefined;
    if (saved && saved.url !== this.url.href) {
      // Bytes from another address: do not splice them with these.
      await removePartial(this.destination);
      held = 0;
    }
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (held > 0) {
      // Without saved validators (a .part from elsewhere) the range is asked without If-Range;
      // the checksum at the end still guards the result.
      headers.range = `bytes=${held}-`;
      const ifRange = ifRangeValue(saved?.validators);
      if (ifRange) headers['if-range'] = ifRange;
    }
    const { signal, env, stallTimeoutMs, ca } = this.settings;
    const requestOptions = { headers, env, signal, timeoutMs: stallTimeoutMs, what: this.what, ...(ca ? { ca } : {}) };
    const { response, hops, url } = await getFollowingRedirects(this.url, requestOptions, this.settings.maxRedirects);
    try {
      const start = this.startOffset(response, held, url);
      if (start === 'restart') return await this.restart(url);
      const declared = declaredDigest(hops);
      await this.checkDeclared(declared);
      if (start === 'complete') {
        const hash = createHash('sha256');
        await hashPrefix(this.paths.part, held, hash, signal);
        return { kind: 'complete', bytes: held, sha256: hash.digest('hex'), declared };
      }
      return { ...(await this.receive(response, start, hops)), declared };
    } finally {
      response.destroy();
    }
  }

  /** Where the body of `response` goes in the .part file, or what to do instead. */
  private startOffset(response: IncomingMessage, held: number, url: URL): number | 'restart' | 'complete' {
    const status = response.statusCode ?? 0;
    if (status === 200) return 0;
    if (status === 206) return parseContentRange(header(response.headers, 'content-range'))?.start === held ? held : 'restart';
    if (status === 416 && held > 0) return unsatisfiedRangeTotal(header(response.headers, 'content-range')) === held ? 'complete' : 'restart';
    if (status >= 400) throw httpStatusError(status, response.statusMessage ?? '', url.href, header(response.headers, 'retry-after'));
    throw new NetworkError(`unexpected HTTP ${status} from ${url.href}`, false, status);
  }

  /** Drops the .part after an answer that cannot continue it. */
  private async restart(url: URL): Promise<Outcome> {
    await removePartial(this.destination);
    if (++this.restarts > 3) throw new NetworkError(`${url.href} keeps answering byte ranges that do not continue the partial file`, false);
    return { kind: 'restart' };
  }

  /** Fails before any byte is read when the checksums disagree or none can verify the file. */
  private async checkDeclared(declared: DeclaredDigest): Promise<void> {
    const pinned = this.settings.sha256;
    if (pinned && declared.sha256 && declared.sha256 !== pinned) {
      await removePartial(this.destination);
      throw new IntegrityError(`${this.url.href} declares sha256 ${declared.sha256} but ${pinned} is expected: the file changed upstream or the catalog is wrong; nothing was kept`);
    }
    if (!pinned && !declared.sha256 && !declared.gitBlobSha1 && !this.settings.allowUnverified) {
      throw new IntegrityError(`refusing to download ${this.url.href}: no sha256 is pinned for it and the server declares none, so it could not be verified (to accept it unverified: --insecure-no-checksum, or allowUnverified)`);
    }
  }

  /** Receives the body of a 200 (start 0) or 206 (start = bytes held) into the .part file. */
  private async receive(response: IncomingMessage, start: number, hops: readonly Record<string, unknown>[]): Promise<{ kind: 'complete'; bytes: number; sha256: string }> {
    const length = numberHeader(header(response.headers, 'content-length'));
    const rangeTotal = parseContentRange(header(response.headers, 'content-range'))?.total;
    const linkedSize = numberHeader(hops.map((h) => h['x-linked-size']).find((v): v is string => typeof v === 'string'));
    const total = start > 0 ? rangeTotal : (length ?? linkedSize);
    const { size } = this.settings;
    if (size != null && total !== undefined && total !== size) {
      await removePartial(this.destination);
      throw new IntegrityError(`${this.url.href} is ${total} bytes but ${size} are expected: the file changed upstream or the catalog is wrong; nothing was kept`);
    }
    await writePartialState(this.paths.state, { url: this.url.href, validators: validatorsOf(response.headers), ...(total !== undefined ? { total } : {}) });
    const hash = createHash('sha256');
    if (start > 0) await hashPrefix(this.paths.part, start, hash, this.settings.signal);
    this.resumedFrom = start;
    const { signal, stallTimeoutMs, progressIntervalMs } = this.settings;
    const file = await open(this.paths.part, start > 0 ? 'a' : 'w');
    const received = await receiveBody(response, { file, hash, start, total, url: this.url.href, what: this.what, signal, stallTimeoutMs, reporter: this.reporter, progressIntervalMs });
    if (length !== undefined && received !== length) {
      throw new NetworkError(`the connection closed after ${received} of ${length} bytes from ${this.url.href}`, true);
    }
    return { kind: 'complete', bytes: start + received, sha256: hash.digest('hex') };
  }

  /** Checks size and checksum, then renames the .part into place; a mismatch removes the .part. */
  private async finish(outcome: Extract<Outcome, { kind: 'complete' }>, attempts: number): Promise<DownloadResult> {
    const { bytes, sha256, declared } = outcome;
    const { size, sha256: pinned } = this.settings;
    const verifiedBy = await verifyDownload(this.destination, bytes, sha256, { size, sha256: pinned ?? null, declared, url: this.url.href });
    await rename(this.paths.part, this.destination);
    await rm(this.paths.state, { force: true });
    this.reporter?.update(bytes, bytes, true);
    return { path: this.destination, bytes, sha256, verifiedBy, resumedFrom: this.resumedFrom, attempts };
  }
}

/**
 * Downloads `url` to `destination` (see the header of this file for resume, verification, retries).
 * @throws ArgumentError for a bad URL or sha256; NetworkError when the server cannot deliver the
 * file (after retries); IntegrityError for a wrong checksum or size, or an unverifiable file;
 * CancelledError when `signal` fires (the .part file is kept).
 */
export async function downloadFile(url: string, destination: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ArgumentError(`Not a URL: "${url}".`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ArgumentError(`Unsupported URL scheme in "${url}". Should be https or http.`);
  const sha256 = options.sha256?.toLowerCase() ?? null;
  if (sha256 !== null && !SHA256.test(sha256)) throw new ArgumentError(`Invalid sha256 "${options.sha256}": should be 64 hex characters.`);
  const settings: Settings = {
    retries: 5, retryDelayMs: 1000, stallTimeoutMs: 60_000, maxRedirects: 10, progressIntervalMs: 250,
    allowUnverified: false, env: process.env,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    sha256,
  };
  return new Download(parsed, resolve(destination), settings).run();
}
