// Pause and resume for long work: the worker awaits `gate.passage()` between units of work; it
// returns at once unless paused, and then when resumed.

export class PauseGate {
  private waiting: Promise<void> | undefined;
  private release: (() => void) | undefined;

  get paused(): boolean {
    return this.waiting !== undefined;
  }

  pause(): void {
    if (this.waiting) return;
    this.waiting = new Promise((resolve) => (this.release = resolve));
  }

  resume(): void {
    const release = this.release;
    this.waiting = this.release = undefined;
    release?.();
  }

  /** Resolves now when running, or when resumed; `signal` ends a pause too. */
  async passage(signal?: AbortSignal): Promise<void> {
    if (!this.waiting) return;
    if (signal?.aborted) return;
    const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([this.waiting, aborted]);
  }
}
