// Running llama.cpp's pre-tokenizer regexes in JavaScript (unicode_regex_split): each regex is
// applied to every piece the previous one produced, keeping both the matches and the text between
// them. llama.cpp runs std::regex over a copy of the text where each non-ASCII code point stands
// for its category; JavaScript's `u` regexes with \p{...} give the same matches, provided \s means
// Unicode White_Space (llama.cpp's whitespace flag) rather than JavaScript's \s. Text that is all
// ASCII takes equivalent regexes without \p{...} or the `u` flag, which V8 runs about twice as fast.

import { BugIndicatingError } from '../../../base/common/errors.js';
import type { PreTokenizer } from './preTokenizers.js';

/** Compiles a llama.cpp regex, with \s and \S meaning Unicode White_Space. */
export function toJsRegex(source: string): RegExp {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = source[++i];
    out += next === 's' ? '\\p{White_Space}' : next === 'S' ? '\\P{White_Space}' : `\\${next}`;
  }
  return new RegExp(out, 'gu');
}

/** ASCII members of \p{...} and of White_Space, written for use inside a character class. */
const ASCII_CLASSES: Readonly<Record<string, string>> = {
  L: 'A-Za-z',
  N: '0-9',
  P: String.raw`!"#%&'()*,\-./:;?@\[\\\]_{}`,
  S: String.raw`$+<=>\^${'`'}|~`,
  M: '',
  s: String.raw`\t\n\v\f\r `,
};

/** Compiles a llama.cpp regex for ASCII-only text: each category becomes its ASCII members. */
export function toAsciiRegex(source: string): RegExp {
  let out = '';
  let inside = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '[' && !inside) inside = true;
    else if (c === ']' && inside) inside = false;
    if (c !== '\\') {
      out += c;
      continue;
    }
    let members: string | undefined;
    if (source.startsWith('p{', i + 1)) {
      const end = source.indexOf('}', i);
      members = ASCII_CLASSES[source.slice(i + 3, end)];
      if (members === undefined) throw new BugIndicatingError(`no ASCII form for ${source.slice(i, end + 1)}`);
      i = end;
    } else if (source[i + 1] === 's' || source[i + 1] === 'S') {
      if (source[i + 1] === 'S' && inside) throw new BugIndicatingError('no ASCII form for \\S inside a class');
      members = source[i + 1] === 's' ? ASCII_CLASSES.s : `^${ASCII_CLASSES.s}`;
      i++;
    } else {
      out += c + source[++i];
      continue;
    }
    out += inside ? members : members === '' ? '(?!)' : `[${members}]`;
  }
  return new RegExp(out, 'g');
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Splits `text` into the words BPE merges within. */
export function preTokenize(pre: PreTokenizer, text: string): string[] {
  let pieces = [text];
  for (const regex of ASCII_ONLY.test(text) ? pre.asciiRegexes : pre.regexes) {
    const next: string[] = [];
    for (const piece of pieces) splitByRegex(regex, piece, next);
    pieces = next;
  }
  return pieces;
}

/** Regexes seen to leave text between matches: they take the exec() path straight away. */
const leavesGaps = new WeakSet<RegExp>();

function splitByRegex(regex: RegExp, piece: string, out: string[]): void {
  if (!leavesGaps.has(regex)) {
    // Fast path: String.match returns every match at once; when they cover the piece there are no gaps.
    const matches = piece.match(regex) ?? [];
    let covered = 0;
    for (const match of matches) covered += match.length;
    if (covered === piece.length) {
      for (const match of matches) out.push(match);
      return;
    }
    leavesGaps.add(regex);
  }
  let last = 0;
  regex.lastIndex = 0;
  for (let match = regex.exec(piece); match !== null; match = regex.exec(piece)) {
    const end = match.index + match[0].length;
    if (end === match.index) {
      regex.lastIndex += 1; // never happens with the regexes above; guards against a loop
      continue;
    }
    if (match.index > last) out.push(piece.slice(last, match.index));
    out.push(match[0]);
    last = end;
  }
  if (last < piece.length) out.push(piece.slice(last));
}
