// Word tokenization for word-vector tables (GloVe): lowercased words, with fallbacks so that code
// and compounds still find vectors — "well-known" is one word when the table has it, else "well"
// and "known"; "getUserName" and "HTTPServer" split at case changes; "snake_case" at "_".

import type { StaticTokenizer } from './StaticEmbedder.js';

/** Letters, marks and digits, joined by inner hyphens or apostrophes ("well-known", "o'brien"). */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;
/** Case changes inside an identifier: "getUser" -> get|User, "HTTPServer" -> HTTP|Server, "v2Beta" -> v2|Beta. */
const CAMEL_PARTS = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+|[\p{L}\p{M}]+/gu;

/** Appends to `out` the ids of the known words in `word` (the word itself, else its parts). */
function lookUp(word: string, vocabulary: ReadonlyMap<string, number>, out: number[]): void {
  const id = vocabulary.get(word.toLowerCase());
  if (id !== undefined) {
    out.push(id);
    return;
  }
  if (/['’-]/.test(word)) {
    for (const part of word.split(/['’-]/)) if (part) lookUp(part, vocabulary, out);
    return;
  }
  const parts = word.match(CAMEL_PARTS);
  if (parts && parts.length > 1) {
    for (const part of parts) {
      const partId = vocabulary.get(part.toLowerCase());
      if (partId !== undefined) out.push(partId);
    }
  }
}

/**
 * A StaticTokenizer over a word vocabulary: ids of the known words of a text, in order, at most
 * `maxTokens`. `count` counts every word, known or not.
 */
export function createWordTokenizer(vocabulary: ReadonlyMap<string, number>, maxTokens: number): StaticTokenizer {
  return {
    encode(text) {
      const ids: number[] = [];
      for (const match of text.matchAll(WORD)) {
        lookUp(match[0], vocabulary, ids);
        if (ids.length >= maxTokens) return ids.slice(0, maxTokens);
      }
      return ids;
    },
    count(text) {
      let count = 0;
      for (const _ of text.matchAll(WORD)) count++;
      return count;
    },
  };
}
