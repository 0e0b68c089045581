// Protocol types of the `index/*` area: start an indexing job over folders (progress streamed),
// pause, resume or cancel it, and ask what it is doing. Types only; the wire shape of each field
// is documented here once, for every shell.

import type { IndexPhase } from '../../../rag/index/common/progress.js';

/** `index/start`: indexes folders into a corpus (incremental). The folders become the corpus's roots. */
export interface IndexStartRequest {
  /** Absolute paths of existing folders. Symlinks are resolved; the real folder is what is recorded. */
  readonly roots: readonly string[];
  /** Corpus to index into; default "default". */
  readonly corpus?: string;
  /** Embedder spec, e.g. "static:glove100d" (the default) or "onnx:/models/bge-small". */
  readonly embedder?: string;
}

/** A file that was not indexed, and why. */
export interface IndexSkip {
  /** Absolute root and the path relative to it. */
  readonly root: string;
  readonly path: string;
  /** Reason code, e.g. "binary", "too-large", "secret", "symlink-outside-root". */
  readonly reason: string;
  readonly message: string;
}

/** The result of `index/start`: what the run did. */
export interface IndexStartResult {
  readonly corpus: string;
  /** The real paths of the roots, as recorded for the corpus. */
  readonly roots: readonly string[];
  readonly embedderId: string;
  readonly filesTotal: number;
  readonly filesIndexed: number;
  readonly filesUnchanged: number;
  readonly filesSkipped: number;
  readonly filesRemoved: number;
  readonly chunks: number;
  readonly bytes: number;
  /** The first 100 skipped files (`filesSkipped` counts them all). */
  readonly skipped: readonly IndexSkip[];
  /** True when the run was cancelled: what was written stays, and the roots are not recorded. */
  readonly cancelled: boolean;
  readonly durationMs: number;
}

/** What the indexer is doing now: the indexer's own phases. */
export type { IndexPhase };

/** Event `index/progress`, streamed by `index/start`. */
export interface IndexProgressEvent {
  readonly corpus: string;
  readonly phase: IndexPhase;
  /** Files found so far (all of them once scanning is done). */
  readonly filesTotal: number;
  /** Files looked at: indexed, unchanged or skipped. */
  readonly filesDone: number;
  readonly filesIndexed: number;
  readonly filesUnchanged: number;
  readonly filesSkipped: number;
  readonly filesRemoved: number;
  readonly chunks: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Seconds left, absent before there is a rate to go by. */
  readonly etaSeconds?: number;
  /** The file in hand, relative to its root. */
  readonly currentPath?: string;
  readonly paused: boolean;
}

/** `index/pause`, `index/resume`, `index/cancel`: act on the running job (of `corpus`, when given). */
export interface IndexControlRequest {
  /** Only act if the running job indexes this corpus. */
  readonly corpus?: string;
}

/** The result of `index/pause|resume|cancel`. */
export interface IndexControlResult {
  /** False when no job (of that corpus) was running. */
  readonly applied: boolean;
}

/** `index/status`: takes no fields. */
export type IndexStatusRequest = Readonly<Record<string, never>>;

/** The result of `index/status`. */
export interface IndexStatusResult {
  readonly running: boolean;
  readonly corpus?: string;
  readonly paused?: boolean;
  /** The last progress event of the running job. */
  readonly progress?: IndexProgressEvent;
}
