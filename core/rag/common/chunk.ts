// A chunk: the unit that is embedded, indexed and retrieved, with its place in the source.

/** One retrievable piece of a file. */
export interface Chunk {
  /** Absolute path of the indexed root folder the file belongs to. */
  readonly root: string;
  /** Path of the file relative to the root, "/" separators. */
  readonly path: string;
  /** Language of code ("typescript") or the document kind ("markdown", "pdf", "docx"). */
  readonly language: string;
  /** First and last source line, 1-based, inclusive (for PDF: lines within the page). */
  readonly startLine: number;
  readonly endLine: number;
  /** PDF page, 1-based. */
  readonly page?: number;
  /** The text as it appears in the source. */
  readonly text: string;
  /**
   * What encloses the text: the signature of the enclosing class or function for code, the
   * heading path for documents. Indexed with the text, shown with results.
   */
  readonly context: string;
  /** Position of the chunk in its file, 0-based. */
  readonly ordinal: number;
}
