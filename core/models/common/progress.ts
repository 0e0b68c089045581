// Download progress: bytes so far, total, a transfer rate measured over a sliding window (so a
// stall shows as a falling rate, not as the average since the start), the time left at that rate,
// and a reporter that hands events to a callback at most once per interval.

/** One progress event of a download. */
export interface DownloadProgress {
  /** Bytes of the file held so far, including bytes kept from an earlier attempt. */
  readonly bytes: number;
  /** Size of the file, when the server or the catalog states it. */
  readonly total: number | undefined;
  /** Bytes per second over the last few seconds. */
  readonly rate: number;
  /** Seconds left at the current rate; undefined when the total is unknown or nothing arrives. */
  readonly etaSeconds: number | undefined;
}

interface Sample {
  readonly time: number;
  readonly bytes: number;
}

/** Transfer rate over a sliding window of (time, bytes) samples. */
export class RateMeter {
  private samples: Sample[] = [];

  /** @param windowMs how far back the rate looks; default 5 s. */
  constructor(private readonly windowMs = 5000) {}

  /** Records that `bytes` were held at `time` (ms); a smaller count than before starts over. */
  sample(time: number, bytes: number): void {
    const last = this.samples.at(-1);
    if (last && bytes < last.bytes) this.samples = [];
    this.samples.push({ time, bytes });
    // Keep one sample at or before the window start as the anchor.
    while (this.samples.length > 2 && this.samples[1].time <= time - this.windowMs) this.samples.shift();
  }

  /** Bytes per second between the window's anchor and `now`; 0 before two samples. */
  rate(now: number): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last === first) return 0;
    const elapsed = Math.max(now, last.time) - first.time;
    return elapsed > 0 ? ((last.bytes - first.bytes) * 1000) / elapsed : 0;
  }
}

/** Builds progress events and passes them on at most once per `intervalMs` (the last one always). */
export class ProgressReporter {
  private readonly meter = new RateMeter();
  private lastEmit = -Infinity;
  private bytes = 0;
  private total: number | undefined;

  constructor(
    private readonly emit: (progress: DownloadProgress) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the bytes held and the total; emits when the interval has passed or `force`. */
  update(bytes: number, total: number | undefined, force = false): void {
    const time = this.now();
    if (bytes !== this.bytes || this.lastEmit === -Infinity) this.meter.sample(time, bytes);
    this.bytes = bytes;
    this.total = total;
    if (force || time - this.lastEmit >= this.intervalMs) this.send(time);
  }

  /** Emits the current state if the interval has passed (call from a timer while nothing arrives). */
  tick(): void {
    const time = this.now();
    if (time - this.lastEmit >= this.intervalMs) this.send(time);
  }

  private send(time: number): void {
    this.lastEmit = time;
    const rate = this.meter.rate(time);
    const left = this.total === undefined ? undefined : Math.max(0, this.total - this.bytes);
    const etaSeconds = left === undefined ? undefined : left === 0 ? 0 : rate > 0 ? left / rate : undefined;
    this.emit({ bytes: this.bytes, total: this.total, rate, etaSeconds });
  }
}
