// PDF with pdf.js (pdfjs-dist's legacy build, the one for Node): one section per page with text,
// its lines rebuilt from the positions of text items — a new line where the baseline moves, a
// blank line where the gap is wider than a line, spaces where items are apart. Password-protected,
// malformed and 0-page PDFs are reported as skips. PDFs encrypted with an empty user password
// (those that only restrict printing or copying) open without a prompt in every viewer, and are
// read like any other.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocumentSection, ParsedDocument } from '../../common/document.js';
import type { ParseTarget } from '../common/parseText.js';
import { UnparsableFileError } from '../common/skips.js';

/** The part of a pdf.js text item used here. */
interface TextItem {
  readonly str: string;
  /** [scaleX, skewY, skewX, scaleY, x, y] */
  readonly transform: readonly number[];
  readonly width: number;
  readonly height: number;
  readonly hasEOL: boolean;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<PdfJs> | undefined;

/** Where pdf.js's "fake worker" (its parser, run on this thread) lives. */
const PDF_WORKER_MODULE = 'pdfjs-dist/legacy/build/pdf.worker.mjs';

/**
 * pdf.js, loaded once per thread (it is large). Its parser module is loaded too and handed over
 * as `globalThis.pdfjsWorker`, which pdf.js uses instead of importing it on the first document.
 */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= (async () => {
    const [api, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import(PDF_WORKER_MODULE) as Promise<unknown>]);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return api;
  })();
  return pdfjs;
}

/** Folder of pdf.js's character maps (CJK fonts), as the path prefix pdf.js wants. */
function cMapFolder(): string {
  const packageJson = createRequire(import.meta.url).resolve('pdfjs-dist/package.json');
  return join(dirname(packageJson), 'cmaps') + '/';
}

/** Rebuilds the lines of a page from its text items, in content-stream order. */
export function pageLines(items: readonly TextItem[]): string[] {
  const lines: string[] = [];
  let line = '';
  let lastY: number | undefined;
  let lastEnd = 0;
  let lastHeight = 0;
  let breakNext = false;
  for (const item of items) {
    const [, , , scaleY, x, y] = item.transform;
    const height = Math.abs(item.height || scaleY) || lastHeight || 10;
    if (item.str === '') {
      breakNext ||= item.hasEOL;
      continue;
    }
    if (lastY !== undefined && (breakNext || Math.abs(y - lastY) > Math.min(height, lastHeight) / 2)) {
      lines.push(line.trimEnd());
      if (Math.abs(y - lastY) > 1.8 * Math.max(height, lastHeight)) lines.push('');
      line = '';
    } else if (lastY !== undefined && x - lastEnd > height * 0.15 && !line.endsWith(' ') && !item.str.startsWith(' ')) {
      line += ' ';
    }
    line += item.str;
    lastY = y;
    lastEnd = x + item.width;
    lastHeight = height;
    breakNext = item.hasEOL;
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines;
}

/** Turns pdf.js's load errors into skips: a password, a bad structure. */
function loadError(error: unknown): UnparsableFileError {
  const name = (error as { name?: string }).name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') return new UnparsableFileError('encrypted', 'encrypted PDF (needs a password)');
  return new UnparsableFileError('malformed', `malformed PDF (${message})`);
}

/** Parses a PDF's bytes into one section per page with text. */
export async function parsePdf(target: ParseTarget, bytes: Uint8Array): Promise<ParsedDocument> {
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  // pdf.js refuses a Buffer; a plain view over the same memory is accepted.
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const task = getDocument({
    data,
    verbosity: VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    stopAtErrors: false,
    cMapUrl: cMapFolder(),
    cMapPacked: true,
  });
  let pdf;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy();
    throw loadError(error);
  }
  try {
    if (pdf.numPages === 0) throw new UnparsableFileError('no-pages', 'PDF has no pages');
    const sections: DocumentSection[] = [];
    let failed = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      try {
        const page = await pdf.getPage(number);
        const content = await page.getTextContent();
        const lines = pageLines(content.items.filter((item): item is TextItem & typeof item => 'str' in item));
        page.cleanup();
        if (lines.length > 0) sections.push({ text: lines.join('\n'), startLine: 1, endLine: lines.length, page: number });
      } catch {
        failed++;
      }
    }
    if (failed === pdf.numPages) throw new UnparsableFileError('malformed', `malformed PDF (none of its ${failed} pages can be read)`);
    return { path: target.path, kind: 'pdf', sections };
  } finally {
    await pdf.destroy();
  }
}
