// Rebuilding a passage, or a whole file, from its stored chunks: consecutive chunks of one file
// and page are joined in order, lines that overlapping chunks share appear once (documents repeat
// a few lines of the previous piece as overlap), and the blank lines between chunks that the
// code chunker leaves out are put back, so a code file comes back line for line.

import type { Chunk } from '../../rag/common/chunk.js';

/** Blank lines put back between two chunks at most (code chunks leave out only blank lines). */
const MAX_GAP_LINES = 3;

/** The chunk fields a passage is built from. */
export type PassageChunk = Pick<Chunk, 'root' | 'path' | 'language' | 'startLine' | 'endLine' | 'page' | 'text' | 'ordinal'>;

/** How many leading lines of `next` repeat the last lines of `previous` (at most `most`). */
function repeatedLines(previous: readonly string[], next: readonly string[], most: number): number {
  for (let k = Math.min(most, previous.length, next.length); k > 0; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = previous[previous.length - k + i] === next[i];
    if (same) return k;
  }
  return 0;
}

/** The text of `chunks` (one file and page, ascending ordinals, no ordinal missing between them), each line once. */
export function joinChunks(chunks: readonly PassageChunk[]): string {
  if (chunks.length === 0) return '';
  const lines = chunks[0].text.split('\n');
  for (let i = 1; i < chunks.length; i++) {
    const previous = chunks[i - 1];
    const next = chunks[i];
    const nextLines = next.text.split('\n');
    const overlap = previous.endLine - next.startLine + 1;
    if (overlap > 0) {
      lines.push(...nextLines.slice(repeatedLines(lines, nextLines, overlap)));
    } else {
      const gap = Math.min(next.startLine - previous.endLine - 1, MAX_GAP_LINES);
      for (let g = 0; g < gap; g++) lines.push('');
      lines.push(...nextLines);
    }
  }
  return lines.join('\n');
}

/** Splits ascending chunks of one file into runs of consecutive ordinals on one page. */
export function consecutiveRuns<C extends PassageChunk>(chunks: readonly C[]): C[][] {
  const runs: C[][] = [];
  for (const chunk of chunks) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (last && last.ordinal + 1 === chunk.ordinal && last.page === chunk.page) run.push(chunk);
    else runs.push([chunk]);
  }
  return runs;
}
