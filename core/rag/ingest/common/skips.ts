// Why a file is not indexed: the reason codes the walker and the parsers report, the record of a
// skipped file, and the error a parser throws to turn a file into a skip.

import { ErrorReason, ExpectedError } from '../../../base/common/errors.js';

/** Every reason a file or folder is skipped, with what it means (shown to the user). */
export const SKIP_REASONS = {
  /** Matched by .gitignore, .pinpointignore, the default excludes or `exclude` (reported only with `reportIgnored`). */
  ignored: 'ignored by a rule',
  /** Matched by the secret patterns (`.env*`, keys, credentials files, ...). */
  secret: 'looks like a secret',
  /** Binary content, by extension or by sniffing its first bytes. */
  binary: 'binary content',
  /** A minified bundle: very long lines of JavaScript or CSS. */
  minified: 'minified code',
  /** Larger than the size limit of its kind. */
  'too-large': 'over the size limit',
  /** A FIFO, socket or device: never opened. */
  'not-regular-file': 'not a regular file',
  /** A symbolic link whose target lies outside the root. */
  'symlink-outside-root': 'symbolic link out of the root',
  /** A symbolic link to a folder that encloses it. */
  'symlink-loop': 'symbolic link loop',
  /** A symbolic link to a folder already walked through another link. */
  'symlink-duplicate': 'folder already walked',
  /** A symbolic link whose target does not exist. */
  'broken-symlink': 'broken symbolic link',
  /** The file or folder could not be read (permissions, I/O error, gone). */
  unreadable: 'unreadable',
  /** The content is not what its type promises (a PDF without a valid structure, a bad notebook). */
  malformed: 'malformed',
  /** An encrypted PDF that needs a password. */
  encrypted: 'encrypted',
  /** A document without pages (a 0-page PDF). */
  'no-pages': 'no pages',
  /** An archive (DOCX) whose parts expand past the limit. */
  'zip-bomb': 'expands past the limit',
  /** The parser ran past its time limit. */
  'parse-timeout': 'parser timed out',
  /** The parser ran past its memory limit. */
  'memory-limit': 'parser ran out of memory',
  /** The parser failed in an unexpected way (a crash of its worker, a bug in a library). */
  'parse-failed': 'parser failed',
} as const;

/** Code of a reason a file is skipped. */
export type SkipReason = keyof typeof SKIP_REASONS;

/** A file or folder that is not indexed, and why. Paths as in WalkEntry. */
export interface SkippedFile {
  readonly type: 'skip';
  /** Absolute path of the root folder. */
  readonly root: string;
  /** Path relative to the root, "/" separators. */
  readonly path: string;
  readonly absolutePath: string;
  readonly reason: SkipReason;
  /** What happened, naming the file: `docs/a.pdf: encrypted PDF (needs a password)`. */
  readonly message: string;
}

const LIMIT_REASONS: ReadonlySet<SkipReason> = new Set(['too-large', 'zip-bomb', 'parse-timeout', 'memory-limit']);

/**
 * Thrown by a parser when a file cannot be turned into a document; ingestion reports it as a skip.
 * The message names the problem; the file's path is added when the skip is reported.
 */
export class UnparsableFileError extends ExpectedError {
  constructor(
    readonly skipReason: SkipReason,
    readonly problem: string,
  ) {
    // ErrorReason has no member for a bad input file yet: limits map to Limit, the rest to BadArgument.
    super(LIMIT_REASONS.has(skipReason) ? ErrorReason.Limit : ErrorReason.BadArgument, problem);
    this.name = 'UnparsableFileError';
  }
}

/** Builds a skip record; the message is `<path>: <problem>`. */
export function skipOf(file: { readonly root: string; readonly path: string; readonly absolutePath: string }, reason: SkipReason, problem: string): SkippedFile {
  return { type: 'skip', root: file.root, path: file.path, absolutePath: file.absolutePath, reason, message: `${file.path || file.absolutePath}: ${problem}` };
}

/** Sizes for messages: "812 bytes", "12 MB", "1.5 GB" (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  for (; value >= 1024 && unit < units.length - 1; unit++) value /= 1024;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
