// Unicode helpers shared by the tokenizers: UTF-8 bytes, GPT-2's byte <-> character table, and the
// per-code-point properties WordPiece normalization needs, with the meanings llama.cpp's
// unicode.cpp gives them (White_Space for whitespace, simple one-to-one lowercase, NFD first char).

const encoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;

/** UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD). */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** `text` with each lone surrogate replaced by U+FFFD, so that it maps to UTF-8 one to one. */
export function wellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\uFFFD') : text;
}

/** GPT-2's printable stand-in for each byte: byte-level BPE vocabularies spell tokens with these. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** The inverse of BYTE_TO_CHAR: stand-in UTF-16 code unit -> byte. */
export const CHAR_TO_BYTE: ReadonlyMap<number, number> = new Map(BYTE_TO_CHAR.map((c, byte) => [c.charCodeAt(0), byte]));

function buildByteToChar(): string[] {
  const table = new Array<string>(256);
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || byte >= 0xae;
    table[byte] = String.fromCharCode(printable ? byte : next++);
  }
  return table;
}

/** Properties of a code point, as bits of codePointFlags(). */
export const CodePointFlag = {
  /** Unicode White_Space (tab, newline, space, NBSP, U+3000, ...). */
  Whitespace: 1,
  /** General category Cc, Cf, Co or Cs (assigned "other" characters). */
  Control: 2,
  /** General category M (combining marks). */
  AccentMark: 4,
  /** General category P. */
  Punctuation: 8,
  /** General category S. */
  Symbol: 16,
} as const;

const COMPUTED = 0x80;
let flagCache: Uint8Array | undefined;
const FLAG_TESTS: readonly (readonly [RegExp, number])[] = [
  [/^\p{White_Space}$/u, CodePointFlag.Whitespace],
  [/^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u, CodePointFlag.Control],
  [/^\p{M}$/u, CodePointFlag.AccentMark],
  [/^\p{P}$/u, CodePointFlag.Punctuation],
  [/^\p{S}$/u, CodePointFlag.Symbol],
];

/** The CodePointFlag bits of a code point (computed once per code point, then cached). */
export function codePointFlags(codePoint: number): number {
  flagCache ??= new Uint8Array(0x110000);
  const cached = flagCache[codePoint];
  if (cached !== 0) return cached & ~COMPUTED;
  const char = String.fromCodePoint(codePoint);
  let flags = 0;
  for (const [test, flag] of FLAG_TESTS) if (test.test(char)) flags |= flag;
  flagCache[codePoint] = flags | COMPUTED;
  return flags;
}

const lowerCache = new Map<number, number>();

/** Simple (one code point to one) lowercase mapping, as UnicodeData.txt gives it. */
export function simpleLowercase(codePoint: number): number {
  if (codePoint < 0x80) return codePoint >= 0x41 && codePoint <= 0x5a ? codePoint + 32 : codePoint;
  let lower = lowerCache.get(codePoint);
  if (lower === undefined) {
    const full = String.fromCodePoint(codePoint).toLowerCase();
    // Only U+0130 lowercases to two code points; its simple mapping is "i".
    lower = full.length === String.fromCodePoint(full.codePointAt(0)!).length ? full.codePointAt(0)! : 0x69;
    lowerCache.set(codePoint, lower);
  }
  return lower;
}

const nfdCache = new Map<number, number>();

/** The first code point of a code point's NFD decomposition ("é" -> "e"), as llama.cpp's table. */
export function nfdFirst(codePoint: number): number {
  if (codePoint < 0xc0) return codePoint;
  let first = nfdCache.get(codePoint);
  if (first === undefined) {
    first = String.fromCodePoint(codePoint).normalize('NFD').codePointAt(0)!;
    nfdCache.set(codePoint, first);
  }
  return first;
}
