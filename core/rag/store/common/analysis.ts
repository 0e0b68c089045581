// Text analysis for Pinpoint's full-text (BM25) index, done in TypeScript before LanceDB's own
// tokenizer sees the text. LanceDB's "simple" tokenizer splits on every non-alphanumeric
// character and keeps camelCase words whole, so code identifiers are expanded here: each
// identifier with inner structure (camelCase, snake_case, dotted path, digits) is followed by
// its parts and by its joined form ("getUserName" -> "getUserName get User Name getusername",
// "os.path.join" -> "os.path.join os path join ospathjoin"). Queries go through the same
// expansion, so "get_user_name", "getUserName" and "get user name" all meet. A second, boosted
// field holds what describes code best: signatures, docstrings and comments (for documents:
// the heading path / title).

/** Languages that are prose, not code: their chunks get no signature/docstring extraction. */
export const PROSE_LANGUAGES: ReadonlySet<string> = new Set(['text', 'markdown', 'html', 'pdf', 'docx', 'notebook-markdown', 'plaintext']);

/** Identifier-like runs: letters, digits, `_` and `$`, optionally joined by dots. */
const IDENTIFIER = /[\p{L}\p{N}_$]+(?:\.[\p{L}\p{N}_$]+)*/gu;

/** The parts of an identifier: split at `_`, `$`, `.`, lower->Upper, Upper->Upper+lower and letter<->digit. */
export function identifierParts(identifier: string): string[] {
  return identifier
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, (_m, l1, n1, n2, l2) => (l1 ? `${l1} ${n1}` : `${n2} ${l2}`))
    .split(/[\s_.$]+/)
    .filter((p) => p.length > 0);
}

/**
 * The identifier followed by its parts and joined lowercase form, or the word alone when it has
 * no inner structure.
 */
export function expandIdentifier(identifier: string): string {
  const parts = identifierParts(identifier);
  if (parts.length <= 1) return identifier;
  return `${identifier} ${parts.join(' ')} ${parts.join('').toLowerCase()}`;
}

/** A word with no inner structure (lowercase letters only): nothing to expand. */
const PLAIN_WORD = /^[a-z]+$/;
/** Expansions of recent identifiers: code repeats the same names over and over. */
const expansions = new Map<string, string>();
const EXPANSIONS_KEPT = 50_000;

function expandCached(identifier: string): string {
  if (PLAIN_WORD.test(identifier)) return identifier;
  let expanded = expansions.get(identifier);
  if (expanded === undefined) {
    if (expansions.size >= EXPANSIONS_KEPT) expansions.clear();
    expanded = expandIdentifier(identifier);
    expansions.set(identifier, expanded);
  }
  return expanded;
}

/** Expands every identifier of `text` in place (other characters are kept as they are). */
export function expandIdentifiers(text: string): string {
  return text.replace(IDENTIFIER, expandCached);
}

// ---- Describing lines of code: signatures, docstrings, comments

/** Lines that declare something, in the languages the chunkers know. */
const SIGNATURE =
  /^\s*(?:export\s+|public\s+|private\s+|protected\s+|static\s+|async\s+|abstract\s+|pub(?:\([a-z]+\))?\s+)*(?:def|class|function|func|fn|interface|type|struct|enum|trait|impl|module|namespace|record|const\s+\w+\s*=\s*(?:async\s*)?\(|[\w<>[\],\s]+\s+\w+\s*\([^)]*\)\s*(?:\{|throws|$))\b.*$/gm;
/** Python docstrings and block comments. */
const BLOCK = /"""[\s\S]*?"""|'''[\s\S]*?'''|\/\*[\s\S]*?\*\//g;
/** Line comments: `#`, `//`, `--`, `;;` up to the end of the line (not `#include`-like directives). */
const LINE_COMMENT = /(?:^|\s)(?:\/\/+|#(?![!\w]*include|!)|--|;;)\s?(.*)$/gm;

/** Signatures, docstrings and comments of a piece of code, one per line. */
export function describingText(code: string): string {
  const out: string[] = [];
  for (const m of code.matchAll(SIGNATURE)) out.push(m[0].trim());
  for (const m of code.matchAll(BLOCK)) out.push(m[0].replace(/^("""|'''|\/\*+)|("""|'''|\*+\/)$/g, '').replace(/^\s*\*\s?/gm, '').trim());
  const withoutBlocks = code.replace(BLOCK, ' ');
  for (const m of withoutBlocks.matchAll(LINE_COMMENT)) if (m[1].trim()) out.push(m[1].trim());
  return out.join('\n');
}

// ---- The indexed fields

/** What LanceDB's full-text indexes see for one chunk. */
export interface SearchFields {
  /** Context and text with identifiers expanded: the main BM25 field. */
  readonly body: string;
  /** The describing part: context plus, for code, signatures, docstrings and comments. */
  readonly summary: string;
}

/** The two full-text fields of a chunk. */
export function searchFields(chunk: { readonly text: string; readonly context: string; readonly language: string }): SearchFields {
  const body = expandIdentifiers(chunk.context ? `${chunk.context}\n${chunk.text}` : chunk.text);
  const described = PROSE_LANGUAGES.has(chunk.language) ? '' : describingText(chunk.text);
  const summary = expandIdentifiers([chunk.context, described].filter((s) => s.length > 0).join('\n'));
  return { body, summary };
}

/** The query as the full-text index should see it (same identifier expansion as documents). */
export function analyzeQuery(query: string): string {
  return expandIdentifiers(query);
}
