// The counters of an indexing run and the progress events built from them (throttled, with the
// time left estimated from the bytes still to process).

import { EtaEstimator, type IndexPhase } from '../common/progress.js';
import type { IndexRunOptions } from './indexRoots.js';

/** Counters and the progress events built from them. */
export class RunState {
  phase: IndexPhase = 'scanning';
  filesTotal = 0; filesDone = 0; filesIndexed = 0; filesUnchanged = 0; filesSkipped = 0; filesRemoved = 0;
  chunks = 0; bytesDone = 0; bytesTotal = 0;
  currentPath: string | undefined;
  private last = 0;
  private readonly eta = new EtaEstimator();

  constructor(private readonly options: IndexRunOptions) {}

  emit(force = false): void {
    const now = performance.now();
    if (!force && now - this.last < (this.options.progressIntervalMs ?? 200)) return;
    this.last = now;
    const paused = this.options.gate?.paused ?? false;
    if (paused) this.eta.reset();
    const etaSeconds = this.phase === 'indexing' && !paused ? this.eta.update(now, this.bytesDone, this.bytesTotal) : undefined;
    this.options.onProgress?.({
      phase: this.phase, filesTotal: this.filesTotal, filesDone: this.filesDone, filesIndexed: this.filesIndexed,
      filesUnchanged: this.filesUnchanged, filesSkipped: this.filesSkipped, filesRemoved: this.filesRemoved,
      chunks: this.chunks, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal, etaSeconds,
      currentPath: this.currentPath, paused,
    });
  }
}

