// Copies a response body into the .part file of a download and into its running hash. A stall
// (no byte for `stallTimeoutMs`), a cut connection or a cancel destroys the response and rejects
// with a retryable NetworkError or a CancelledError; progress goes to the reporter as bytes
// arrive, and from a timer while none do, so a stall shows as a falling rate.

import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { CancelledError } from '../../base/common/errors.js';
import { connectionError, NetworkError } from '../common/downloadErrors.js';
import type { ProgressReporter } from '../common/progress.js';

/** Where the body goes and how long to wait for it. */
export interface BodyTarget {
  readonly file: FileHandle;
  readonly hash: Hash;
  /** Bytes already in the file: progress counts from here. */
  readonly start: number;
  /** The file's full size when known, for progress. */
  readonly total: number | undefined;
  /** The URL asked for, for messages. */
  readonly url: string;
  /** What is being done, for the CancelledError ("download of x.gguf"). */
  readonly what: string;
  readonly signal: AbortSignal | undefined;
  readonly stallTimeoutMs: number;
  readonly reporter: ProgressReporter | undefined;
  readonly progressIntervalMs: number;
}

/**
 * Receives `response`'s body into `target`; resolves with the bytes received (the file is closed).
 * @throws NetworkError (retryable) on a stall or a cut; CancelledError when the signal fires.
 */
export async function receiveBody(response: IncomingMessage, target: BodyTarget): Promise<number> {
  const { file, hash, start, total, signal, stallTimeoutMs, reporter } = target;
  let received = 0;
  let stall: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    clearTimeout(stall);
    stall = setTimeout(() => response.destroy(new NetworkError(`no data from ${target.url} for ${stallTimeoutMs / 1000} s: the connection stalled`, true)), stallTimeoutMs);
  };
  const cancel = (): void => void response.destroy(new CancelledError(target.what));
  const ticker = reporter ? setInterval(() => reporter.tick(), target.progressIntervalMs) : undefined;
  signal?.addEventListener('abort', cancel, { once: true });
  reporter?.update(start, total, true);
  try {
    arm();
    if (signal?.aborted) cancel();
    for await (const chunk of response as AsyncIterable<Buffer>) {
      arm();
      hash.update(chunk);
      await file.write(chunk);
      received += chunk.length;
      reporter?.update(start + received, total);
    }
  } catch (error) {
    throw error instanceof CancelledError || error instanceof NetworkError ? error : connectionError(error, target.url);
  } finally {
    clearTimeout(stall);
    clearInterval(ticker);
    signal?.removeEventListener('abort', cancel);
    await file.close();
  }
  return received;
}
