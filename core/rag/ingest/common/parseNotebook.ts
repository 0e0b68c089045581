// Jupyter notebooks (nbformat 4, and 3's worksheets): one section per non-empty cell with its
// index and kind, lines counted within the cell, and the heading path that the Markdown cells
// above it set. Outputs are ignored. The language comes from the notebook's metadata.

import type { DocumentSection, ParsedDocument } from '../../common/document.js';
import { atxHeading, headingPath, markdownHeadings, pushHeading } from './parseMarkdown.js';
import { lineCount, normalizeLineBreaks } from './textDecoding.js';
import { UnparsableFileError } from './skips.js';

interface NotebookCell {
  readonly cell_type?: unknown;
  readonly source?: unknown;
  /** nbformat 3: the source of a code cell. */
  readonly input?: unknown;
}

interface NotebookJson {
  readonly cells?: unknown;
  readonly worksheets?: readonly { readonly cells?: unknown }[];
  readonly metadata?: {
    readonly kernelspec?: { readonly language?: unknown };
    readonly language_info?: { readonly name?: unknown };
    readonly language?: unknown;
  };
}

function textOf(source: unknown): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source) && source.every((s) => typeof s === 'string')) return source.join('');
  return '';
}

function languageOf(notebook: NotebookJson): string | undefined {
  const meta = notebook.metadata;
  const language = meta?.kernelspec?.language ?? meta?.language_info?.name ?? meta?.language;
  return typeof language === 'string' && language !== '' ? language.toLowerCase() : undefined;
}

function cellsOf(notebook: NotebookJson): NotebookCell[] {
  const cells = Array.isArray(notebook.cells) ? notebook.cells : notebook.worksheets?.[0]?.cells;
  if (!Array.isArray(cells)) throw new UnparsableFileError('malformed', 'notebook without a "cells" list');
  return cells.filter((c): c is NotebookCell => typeof c === 'object' && c !== null);
}

/** Parses notebook JSON text; `path` and `encoding` are filled in by the caller. */
export function parseNotebook(text: string): Omit<ParsedDocument, 'path'> {
  let notebook: NotebookJson;
  try {
    notebook = JSON.parse(text) as NotebookJson;
  } catch (error) {
    throw new UnparsableFileError('malformed', `notebook is not valid JSON (${(error as Error).message})`);
  }
  if (typeof notebook !== 'object' || notebook === null) throw new UnparsableFileError('malformed', 'notebook is not a JSON object');
  const language = languageOf(notebook);
  const sections: DocumentSection[] = [];
  const stack: { level: number; title: string }[] = [];
  cellsOf(notebook).forEach((cell, index) => {
    const kind = cell.cell_type === 'markdown' || cell.cell_type === 'heading' ? 'markdown' : cell.cell_type === 'raw' ? 'raw' : 'code';
    const source = normalizeLineBreaks(textOf(cell.source ?? cell.input)).replace(/\s+$/, '');
    if (kind === 'markdown') {
      const lines = source.split('\n');
      for (const heading of markdownHeadings(lines)) pushHeading(stack, heading.level, heading.title);
      // nbformat 3 "heading" cells hold the title alone.
      if (cell.cell_type === 'heading' && !atxHeading(lines[0])) pushHeading(stack, 1, source.trim());
    }
    if (source.trim() === '') return;
    const section: DocumentSection = { text: source, startLine: 1, endLine: lineCount(source), cell: index, cellKind: kind };
    sections.push(stack.length > 0 ? { ...section, heading: headingPath(stack) } : section);
  });
  return { kind: 'notebook', ...(language ? { language } : {}), sections };
}
