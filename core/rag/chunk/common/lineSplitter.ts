// Splits a run of rows into segments that fit a token budget, cutting at blank lines when a
// blank line falls in the second half of a piece, else between lines. A single line longer than
// the hard maximum is the only thing ever cut inside a line (at whitespace when possible).

import type { LineTable } from './LineTable.js';
import type { Segment } from './segments.js';

/** Room for text in a piece: the budget and the hard maximum, both less the context. */
export interface PieceRoom {
  readonly budget: number;
  readonly max: number;
}

/**
 * Segments ("glue", or "cut" for pieces of an over-long line) covering rows `start` .. `end`,
 * each within `room.budget` tokens (a single line up to `room.max`).
 */
export function splitRows(
  table: LineTable,
  start: number,
  end: number,
  path: readonly string[],
  room: PieceRoom,
  countTokens: (text: string) => number,
): Segment[] {
  const out: Segment[] = [];
  const push = (from: number, to: number): void => {
    if (to >= from) out.push({ kind: 'glue', start: from, end: to, path, tokens: table.tokens(from, to) });
  };
  let from = start;
  let lastBlank = -1;
  for (let row = start; row <= end; row++) {
    const tokens = table.lineTokens(row);
    if (tokens > room.budget) {
      push(from, row - 1);
      if (tokens <= room.max) push(row, row);
      else out.push(...cutLine(table.lines[row], row, path, tokens, room.max, countTokens));
      from = row + 1;
      lastBlank = -1;
      continue;
    }
    while (table.tokens(from, row) > room.budget) {
      const atBlank = lastBlank > from && table.tokens(from, lastBlank) * 2 >= room.budget;
      const cut = atBlank ? lastBlank : row - 1;
      push(from, cut);
      from = cut + 1;
      lastBlank = -1;
      for (let r = from; r < row; r++) if (table.isBlank(r)) lastBlank = r;
    }
    if (table.isBlank(row)) lastBlank = row;
  }
  push(from, end);
  return out;
}

/**
 * Pieces of one line, each at most `max` tokens, cut at whitespace when there is some. Piece
 * lengths are estimated from the line's own tokens per character, so each piece is counted about
 * once (never the rest of the line again and again).
 */
function cutLine(line: string, row: number, path: readonly string[], lineTokens: number, max: number, countTokens: (text: string) => number): Segment[] {
  const out: Segment[] = [];
  const charsPerToken = line.length / Math.max(lineTokens, 1);
  let from = 0;
  while (from < line.length) {
    let length = Math.min(line.length - from, Math.max(1, Math.floor(max * charsPerToken * 0.9)));
    let tokens = countTokens(line.slice(from, from + length));
    while (tokens > max && length > 1) {
      length = Math.max(1, Math.floor(length * 0.8));
      tokens = countTokens(line.slice(from, from + length));
    }
    const space = line.lastIndexOf(' ', from + length - 1);
    if (from + length < line.length && space > from + length * 0.8) {
      length = space + 1 - from;
      tokens = countTokens(line.slice(from, from + length));
    }
    out.push({ kind: 'cut', start: row, end: row, path, tokens, cut: [from, from + length] });
    from += length;
  }
  return out;
}
