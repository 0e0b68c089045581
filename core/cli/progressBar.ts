// A one-line progress bar for long CLI operations (downloads, indexing): percentage, bytes, rate
// and time left, redrawn in place with \r at most every `intervalMs`. It draws only on a TTY, so
// piped output and --json stay clean; the formatting functions are exported for other displays.

/** What the bar shows. */
export interface ProgressState {
  readonly bytes: number;
  /** Undefined when the size is unknown: the bar then shows bytes and rate only. */
  readonly total?: number;
  /** Bytes per second. */
  readonly rate: number;
  readonly etaSeconds?: number;
  /** Text before the bar; default the bar's label. */
  readonly label?: string;
}

/** A stream the bar can draw on. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** `1234567` -> `1.2 MB` (decimal units, as download sizes are usually given). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Seconds as `m:ss` or `h:mm:ss`; `--:--` when unknown or absurd. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0 || seconds > 99 * 3600) return '--:--';
  const s = Math.round(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours > 0 ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${minutes}:${two(s % 60)}`;
}

/** The bar's text for a line of `width` columns (never wider). */
export function renderProgressLine(state: ProgressState, width: number, label = ''): string {
  const name = state.label ?? label;
  const rate = `${formatBytes(Math.round(state.rate))}/s`;
  if (state.total === undefined || state.total <= 0) {
    return `${name} ${formatBytes(state.bytes)} ${rate}`.trim().slice(0, width);
  }
  const fraction = Math.min(1, state.bytes / state.total);
  const tail = `${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(state.bytes)} / ${formatBytes(state.total)} ${rate} ETA ${formatDuration(state.etaSeconds)}`;
  const barWidth = Math.max(0, Math.min(40, width - name.length - tail.length - 4));
  const filled = Math.round(fraction * barWidth);
  const bar = barWidth >= 5 ? ` [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]` : '';
  return `${name}${bar} ${tail}`.trim().slice(0, width);
}

/** A progress bar on a stream; silent when the stream is not a TTY. */
export class ProgressBar {
  private lastDraw = -Infinity;
  private drawn = false;

  /**
   * @param label text before the bar.
   * @param intervalMs least time between redraws; default 100 ms.
   */
  constructor(
    private readonly stream: ProgressStream,
    private readonly label = '',
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the bar draws (the stream is a TTY). */
  get active(): boolean {
    return this.stream.isTTY === true;
  }

  /** Redraws the bar if the interval has passed (or `force`). */
  update(state: ProgressState, force = false): void {
    if (!this.active) return;
    const time = this.now();
    if (!force && time - this.lastDraw < this.intervalMs) return;
    this.lastDraw = time;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`\r${renderProgressLine(state, width, this.label)}\x1b[K`);
    this.drawn = true;
  }

  /** Erases the bar, leaving the cursor at the start of the line. */
  clear(): void {
    if (!this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
