// The checks a finished download passes before it is renamed into place: its size, then its
// sha256 against the pinned value, else against the one the server declared, else its git blob
// id against Hugging Face's ETag. A failure removes the .part (and its state) and throws.

import { IntegrityError } from '../common/downloadErrors.js';
import type { DeclaredDigest } from '../common/httpHeaders.js';
import { gitBlobSha1OfFile, partialPaths, removePartial } from './partialFile.js';

/** How a downloaded file was verified. */
export type Verification = 'pinned-sha256' | 'server-sha256' | 'server-git-blob' | 'none';

/** What the .part of `destination` should be. */
export interface Expected {
  readonly size: number | null | undefined;
  readonly sha256: string | null;
  readonly declared: DeclaredDigest;
  /** The URL it came from, for the message. */
  readonly url: string;
}

/**
 * Checks the completed .part of `destination` (`bytes` long, hashing to `sha256`).
 * @returns how it was verified ('none' when nothing could verify it).
 * @throws IntegrityError naming the file, what was found and what was expected; the .part is removed first.
 */
export async function verifyDownload(destination: string, bytes: number, sha256: string, expected: Expected): Promise<Verification> {
  const reject = async (problem: string): Promise<never> => {
    await removePartial(destination);
    throw new IntegrityError(`${destination}: ${problem} (downloaded from ${expected.url}); the partial file was removed`);
  };
  const { size, sha256: pinned, declared } = expected;
  if (size != null && bytes !== size) await reject(`got ${bytes} bytes but ${size} are expected`);
  if (pinned) {
    if (sha256 !== pinned) await reject(`sha256 is ${sha256} but ${pinned} is expected`);
    return 'pinned-sha256';
  }
  if (declared.sha256) {
    if (sha256 !== declared.sha256) await reject(`sha256 is ${sha256} but the server declared ${declared.sha256}`);
    return 'server-sha256';
  }
  if (declared.gitBlobSha1) {
    const blob = await gitBlobSha1OfFile(partialPaths(destination).part);
    if (blob !== declared.gitBlobSha1) await reject(`git blob id is ${blob} but the server declared ${declared.gitBlobSha1}`);
    return 'server-git-blob';
  }
  return 'none';
}
