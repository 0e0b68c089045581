// What ingestion produces from one file: its text in sections that keep their position in the
// source (lines, pages, headings, notebook cells), so that every chunk and every citation can
// point back to a file and a line or page.

/** The kinds of files Pinpoint parses. */
export type DocumentKind = 'code' | 'text' | 'markdown' | 'html' | 'pdf' | 'docx' | 'notebook';

/** A run of a document's text with its place in the source. */
export interface DocumentSection {
  readonly text: string;
  /** First line of the section in the source file, 1-based (for a PDF: in its page's text). */
  readonly startLine: number;
  /** Last line, inclusive. */
  readonly endLine: number;
  /** PDF page, 1-based. */
  readonly page?: number;
  /** Heading path of the section ("Install > Linux") for Markdown, HTML and DOCX. */
  readonly heading?: string;
  /** Notebook cell index, 0-based, and its kind. */
  readonly cell?: number;
  readonly cellKind?: 'code' | 'markdown' | 'raw';
}

/** A parsed file. Paths are relative to their root, with "/" separators. */
export interface ParsedDocument {
  readonly path: string;
  readonly kind: DocumentKind;
  /** Language of source code ("typescript", "python", ...) or of notebook code cells. */
  readonly language?: string;
  /** How the bytes were decoded ("utf-8", "utf-16le", "latin1"); absent for binary formats. */
  readonly encoding?: string;
  /** Sections in source order; together they hold all the text worth indexing. */
  readonly sections: readonly DocumentSection[];
}
