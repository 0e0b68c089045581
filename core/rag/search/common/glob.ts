// Path globs -> regular expressions in the syntax both JavaScript and LanceDB's SQL engine
// (DataFusion, Rust's regex crate: no look-around) accept, so a filter runs inside the query.
// `**` spans folders, `*` and `?` stay within one, `{a,b}` alternates, `[...]` is a class.
// A glob without "/" matches a file name at any depth, as in .gitignore and editors' search.

import { ArgumentError } from '../../../base/common/errors.js';

const SPECIAL = /[.+^$()|\\]/;

/** Converts the part of a glob at `i`; returns the regex text and the next index. */
function convertAt(glob: string, i: number, inBraces: boolean): [string, number] {
  const c = glob[i];
  if (c === '*') {
    if (glob[i + 1] === '*') {
      if (glob[i + 2] === '/') return ['(?:.*/)?', i + 3];
      return ['.*', i + 2];
    }
    return ['[^/]*', i + 1];
  }
  if (c === '?') return ['[^/]', i + 1];
  if (c === '[') {
    const end = glob.indexOf(']', i + 2);
    if (end < 0) throw new ArgumentError(`Bad glob "${glob}": "[" at ${i} has no closing "]"`);
    const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
    return [`[${body}]`, end + 1];
  }
  if (c === '{') return convertBraces(glob, i);
  if (inBraces && (c === ',' || c === '}')) return ['', i];
  return [SPECIAL.test(c) ? `\\${c}` : c, i + 1];
}

function convertBraces(glob: string, start: number): [string, number] {
  const options: string[] = [];
  let current = '';
  let i = start + 1;
  while (i < glob.length) {
    if (glob[i] === ',') {
      options.push(current);
      current = '';
      i++;
    } else if (glob[i] === '}') {
      options.push(current);
      return [`(?:${options.join('|')})`, i + 1];
    } else {
      const [text, next] = convertAt(glob, i, true);
      current += text;
      i = next;
    }
  }
  throw new ArgumentError(`Bad glob "${glob}": "{" at ${start} has no closing "}"`);
}

/**
 * The anchored regular expression (source text) of a path glob over "/"-separated relative
 * paths. A leading "./" or "/" anchors at the root; a glob without "/" matches at any depth.
 * @throws ArgumentError for an unclosed "[" or "{".
 */
export function globToRegex(glob: string): string {
  const trimmed = glob.trim();
  if (trimmed === '') throw new ArgumentError('Empty path glob');
  let pattern = trimmed.replace(/^\.?\//, '');
  if (!trimmed.includes('/')) pattern = `**/${pattern}`;
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const [text, next] = convertAt(pattern, i, false);
    out += text;
    i = next;
  }
  if (pattern.endsWith('/')) out += '.*';
  return `^${out}$`;
}

/** True when `path` matches `glob` (the same test the SQL filter makes). */
export function matchesGlob(path: string, glob: string): boolean {
  return new RegExp(globToRegex(glob)).test(path);
}
