// Bytes to text: binary sniffing of a file's first bytes, decoding by byte-order mark (UTF-8,
// UTF-16 LE/BE), UTF-8 otherwise with a Latin-1 fallback, and line breaks normalized to "\n".

import { UnparsableFileError } from './skips.js';

/** How many leading bytes the walker reads to sniff a file. */
export const SNIFF_BYTES = 8192;

/** Share of control characters above which content is binary. */
const MAX_CONTROL_RATIO = 0.1;
/** Share of bytes >= 0x80 above which content that is not UTF-8 is binary rather than Latin-1. */
const MAX_HIGH_RATIO_LATIN1 = 0.3;

type Bom = 'utf-8' | 'utf-16le' | 'utf-16be' | undefined;

function bomOf(bytes: Uint8Array): Bom {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe && !(bytes[2] === 0 && bytes[3] === 0)) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** A control character that does not occur in text (tab, line breaks, form feed, escape do). */
function isControl(code: number): boolean {
  return code < 0x20 ? code !== 9 && code !== 10 && code !== 11 && code !== 12 && code !== 13 && code !== 27 : code === 0x7f;
}

/** Class of each byte value: 0 text, 1 NUL, 2 other control character, 3 >= 0x80. */
const BYTE_CLASS = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x80 ? 3 : b === 0 ? 1 : isControl(b) ? 2 : 0));

/** Counts NUL bytes, other control characters and bytes >= 0x80. */
function byteCounts(bytes: Uint8Array): { nul: number; control: number; high: number } {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < bytes.length; i++) counts[BYTE_CLASS[bytes[i]]]++;
  return { nul: counts[1], control: counts[2], high: counts[3] };
}

function isUtf8(bytes: Uint8Array, truncated: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether bytes look binary: a NUL byte, more than 10% control characters, or (when they are not
 * UTF-8) more than 30% bytes >= 0x80. A UTF-16 byte-order mark means text. `truncated` says the
 * bytes are the head of a longer file (a multi-byte character may be cut at the end).
 */
export function looksBinary(bytes: Uint8Array, truncated = false): boolean {
  const bom = bomOf(bytes);
  if (bom === 'utf-16le' || bom === 'utf-16be') return false;
  const { nul, control, high } = byteCounts(bytes);
  if (nul > 0) return true;
  if (control > bytes.length * MAX_CONTROL_RATIO) return true;
  return high > bytes.length * MAX_HIGH_RATIO_LATIN1 && !isUtf8(bytes, truncated);
}

/** Whether the head of a JavaScript or CSS file is minified: lines of 300+ characters on average. */
export function looksMinified(head: Uint8Array): boolean {
  if (head.length < 2048) return false;
  let lines = 1;
  for (let i = head.indexOf(10); i >= 0; i = head.indexOf(10, i + 1)) lines++;
  return head.length / lines > 300;
}

/** Decoded text and the encoding it was read with. */
export interface DecodedText {
  /** The text, line breaks normalized to "\n", without a byte-order mark. */
  readonly text: string;
  /** "utf-8", "utf-16le", "utf-16be" or "latin1" (read as windows-1252, the WHATWG meaning of "latin1"). */
  readonly encoding: string;
}

/** Joins "\r\n" and lone "\r" line breaks into "\n" (line numbers are unchanged). */
export function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Number of lines of `text` ("a\nb" and "a\nb\n" both have 2; "" has 0). */
export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function controlRatioOfText(text: string): number {
  let control = 0;
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i)) || text.charCodeAt(i) === 0) control++;
  return control / Math.max(1, text.length);
}

/**
 * Decodes a text file. A byte-order mark decides the encoding; otherwise UTF-8, and bytes that are
 * not valid UTF-8 are read as Latin-1. Throws UnparsableFileError("binary") for binary content.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const bom = bomOf(bytes);
  if (bom === 'utf-16le' || bom === 'utf-16be') {
    const text = new TextDecoder(bom).decode(bytes);
    if (controlRatioOfText(text) > MAX_CONTROL_RATIO) throw new UnparsableFileError('binary', `binary content (${bom} byte-order mark, but not text)`);
    return { text: normalizeLineBreaks(text), encoding: bom };
  }
  const { nul, control, high } = byteCounts(bytes);
  if (nul > 0) throw new UnparsableFileError('binary', 'binary content (NUL bytes)');
  if (control > bytes.length * MAX_CONTROL_RATIO) throw new UnparsableFileError('binary', 'binary content (control characters)');
  if (high === 0 || isUtf8(bytes, false)) {
    return { text: normalizeLineBreaks(new TextDecoder('utf-8').decode(bytes)), encoding: 'utf-8' };
  }
  if (high > bytes.length * MAX_HIGH_RATIO_LATIN1) throw new UnparsableFileError('binary', 'binary content (neither UTF-8 nor Latin-1 text)');
  return { text: normalizeLineBreaks(new TextDecoder('windows-1252').decode(bytes)), encoding: 'latin1' };
}
