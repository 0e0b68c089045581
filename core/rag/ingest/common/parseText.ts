// Source code and plain text: the decoded text as one section with its line range (the chunker
// splits code by syntax tree and text by size). Also the one place a text-like file's bytes are
// decoded and sent to the parser of its kind.

import type { DocumentKind, DocumentSection, ParsedDocument } from '../../common/document.js';
import { languageOfShebang } from './fileKinds.js';
import { parseHtml } from './parseHtml.js';
import { parseMarkdown } from './parseMarkdown.js';
import { parseNotebook } from './parseNotebook.js';
import { UnparsableFileError } from './skips.js';
import { decodeText, lineCount } from './textDecoding.js';

/** What a parser needs to know of a file: its path, kind and language (a WalkEntry has them). */
export interface ParseTarget {
  readonly path: string;
  readonly kind: DocumentKind;
  readonly language?: string;
}

/** The whole text as one section, or none when it is blank. */
export function wholeTextSections(text: string): DocumentSection[] {
  if (text.trim() === '') return [];
  return [{ text, startLine: 1, endLine: lineCount(text) }];
}

/** Parses code or plain text already decoded. */
export function parseCode(target: ParseTarget, text: string, encoding: string): ParsedDocument {
  const newline = text.indexOf('\n');
  const language = target.language ?? languageOfShebang(text.slice(0, Math.min(newline < 0 ? text.length : newline, 256)));
  return {
    path: target.path,
    kind: target.kind === 'code' || language ? 'code' : 'text',
    ...(language ? { language } : {}),
    encoding,
    sections: wholeTextSections(text),
  };
}

/**
 * Parses a text-based file (code, text, Markdown, HTML, notebook) from its bytes. Throws
 * UnparsableFileError for binary content, a malformed notebook, or a kind that is not text-based.
 */
export function parseTextFile(target: ParseTarget, bytes: Uint8Array): ParsedDocument {
  const { text, encoding } = decodeText(bytes);
  switch (target.kind) {
    case 'code':
    case 'text':
      return parseCode(target, text, encoding);
    case 'markdown':
      return { path: target.path, kind: 'markdown', encoding, sections: parseMarkdown(text) };
    case 'html':
      return { path: target.path, kind: 'html', encoding, sections: parseHtml(text, 'source') };
    case 'notebook':
      return { ...parseNotebook(text), path: target.path, encoding };
    default:
      throw new UnparsableFileError('parse-failed', `no text parser for ${target.kind} files`);
  }
}
