// The lines of one text with their token counts, counted once: every size the chunkers need is
// a difference of prefix sums, so no text is ever tokenized twice (and never quadratically).

/** Lines of a text (split on "\n", a trailing "\r" dropped) with per-line token counts. */
export class LineTable {
  /** The lines, without their line breaks. */
  readonly lines: readonly string[];
  /** prefix[i] = tokens of lines 0 .. i-1. */
  private readonly prefix: Float64Array;
  /** 1 where the line is empty or only whitespace. */
  private readonly blank: Uint8Array;

  /**
   * @param lines the lines of the text
   * @param countTokens the embedder's token counter; called once per non-blank line
   */
  constructor(lines: readonly string[], countTokens: (text: string) => number) {
    this.lines = lines;
    this.prefix = new Float64Array(lines.length + 1);
    this.blank = new Uint8Array(lines.length);
    const newline = countTokens('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const isBlank = !/\S/.test(line);
      this.blank[i] = isBlank ? 1 : 0;
      this.prefix[i + 1] = this.prefix[i] + newline + (isBlank ? 0 : countTokens(line));
    }
  }

  /** Splits `text` into lines and counts them. */
  static fromText(text: string, countTokens: (text: string) => number): LineTable {
    return new LineTable(splitLines(text), countTokens);
  }

  /** Number of lines. */
  get length(): number {
    return this.lines.length;
  }

  /** Tokens of rows `start` .. `end` (0-based, inclusive); 0 for an empty range. */
  tokens(start: number, end: number): number {
    return end < start ? 0 : this.prefix[end + 1] - this.prefix[start];
  }

  /** Tokens of one row. */
  lineTokens(row: number): number {
    return this.prefix[row + 1] - this.prefix[row];
  }

  /** Whether a row is empty or only whitespace. */
  isBlank(row: number): boolean {
    return this.blank[row] === 1;
  }

  /** Rows `start` .. `end` joined with "\n". */
  text(start: number, end: number): string {
    return this.lines.slice(start, end + 1).join('\n');
  }

  /** First non-blank row in `start` .. `end`, or -1. */
  firstContent(start: number, end: number): number {
    for (let row = start; row <= end; row++) if (this.blank[row] === 0) return row;
    return -1;
  }

  /** Last non-blank row in `start` .. `end`, or -1. */
  lastContent(start: number, end: number): number {
    for (let row = end; row >= start; row--) if (this.blank[row] === 0) return row;
    return -1;
  }
}

/** Splits text on "\n" and drops a "\r" before it, as tree-sitter counts rows. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}
