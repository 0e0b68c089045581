// Progress of an indexing run, as shells show it (CLI bar, VS Code status bar, desktop UI), and
// the estimate of the time left, from the bytes still to process and the recent rate.

/** What the indexer is doing now. */
export type IndexPhase = 'scanning' | 'indexing' | 'removing' | 'maintaining' | 'done';

export interface IndexProgress {
  readonly phase: IndexPhase;
  /** Files found by the walk so far (all of them once scanning is done). */
  readonly filesTotal: number;
  /** Files looked at: indexed, unchanged or skipped. */
  readonly filesDone: number;
  /** Files whose chunks were (re)written in this run. */
  readonly filesIndexed: number;
  /** Files found unchanged (by time and size, or by content hash). */
  readonly filesUnchanged: number;
  /** Files skipped with a reason (binary, too large, unparsable...). */
  readonly filesSkipped: number;
  /** Files removed from the index because they are gone. */
  readonly filesRemoved: number;
  /** Chunks written in this run. */
  readonly chunks: number;
  /** Bytes of the files looked at, and of all files found. */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Seconds left, or undefined before there is a rate to go by. */
  readonly etaSeconds: number | undefined;
  /** The file being processed, relative to its root. */
  readonly currentPath: string | undefined;
  readonly paused: boolean;
}

/** Estimates time left from bytes processed, over a sliding window of recent samples. */
export class EtaEstimator {
  private readonly samples: { time: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  /** Records `bytesDone` at `now` (ms) and returns the seconds left to reach `bytesTotal`. */
  update(now: number, bytesDone: number, bytesTotal: number): number | undefined {
    this.samples.push({ time: now, bytes: bytesDone });
    while (this.samples.length > 2 && now - this.samples[0].time > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const elapsed = now - first.time, done = bytesDone - first.bytes;
    if (elapsed < 500 || done <= 0) return undefined;
    return Math.max(0, bytesTotal - bytesDone) / (done / elapsed) / 1000;
  }

  /** Forgets the rate (after a pause, so the pause does not count as slowness). */
  reset(): void {
    this.samples.length = 0;
  }
}
