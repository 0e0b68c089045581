// One entry point for every kind of file: text-based kinds through the common parsers, PDF and
// DOCX through pdf.js and mammoth. Runs inside a parser worker (see ParserPool), never on the
// thread that walks or indexes.

import type { ParsedDocument } from '../../common/document.js';
import { parseTextFile, type ParseTarget } from '../common/parseText.js';
import { loadMammoth, parseDocx } from './parseDocx.js';
import { loadPdfJs, parsePdf } from './parsePdf.js';

/** Limits a parser applies itself (time and memory are enforced by ParserPool). */
export interface ParseOptions {
  /** What the XML parts of a DOCX may inflate to, in bytes. Default 128 MiB. */
  readonly maxExpandedBytes?: number;
}

/** Default of ParseOptions.maxExpandedBytes. */
export const DEFAULT_MAX_EXPANDED_BYTES = 128 * 1024 * 1024;

/**
 * Parses a file's bytes into a document. Throws UnparsableFileError (a skip reason and a problem)
 * for content that cannot be indexed: binary, malformed, encrypted, without pages, a zip bomb.
 */
export async function parseFile(target: ParseTarget, bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedDocument> {
  switch (target.kind) {
    case 'pdf':
      return parsePdf(target, bytes);
    case 'docx':
      return parseDocx(target, bytes, options.maxExpandedBytes ?? DEFAULT_MAX_EXPANDED_BYTES);
    default:
      return parseTextFile(target, bytes);
  }
}

/**
 * Loads pdf.js and mammoth now rather than on the first PDF or DOCX: a parser worker does this
 * before it takes files, so that a file's time limit measures parsing, not module loading.
 */
export async function preloadParsers(): Promise<void> {
  await Promise.all([loadPdfJs(), loadMammoth()]);
}
