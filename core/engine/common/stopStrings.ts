// Holds back generated text that might be the start of a stop string, so a stop string is never
// streamed out half-way, and reports where a stop string completes.

export class StopStringMatcher {
  private pending = '';

  constructor(private readonly stops: readonly string[]) {}

  /**
   * Adds text; returns what can be emitted now and whether a stop string completed (the text
   * up to it is emitted, the stop string and everything after it are dropped).
   */
  push(text: string): { emit: string; stopped: boolean } {
    this.pending += text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.pending.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      const emit = this.pending.slice(0, cut);
      this.pending = '';
      return { emit, stopped: true };
    }
    const keep = this.heldBack();
    const emit = this.pending.slice(0, this.pending.length - keep);
    this.pending = this.pending.slice(this.pending.length - keep);
    return { emit, stopped: false };
  }

  /** Releases the held-back text at the end of generation. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  /** Length of the longest suffix of pending text that is a proper prefix of a stop string. */
  private heldBack(): number {
    let keep = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, this.pending.length); n > keep; n--) {
        if (this.pending.endsWith(stop.slice(0, n))) {
          keep = n;
          break;
        }
      }
    }
    return keep;
  }
}
