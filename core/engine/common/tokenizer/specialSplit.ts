// Cutting text on special tokens before tokenization (llama.cpp tokenizer_st_partition): for each
// control / user-defined / unknown token, longest text first, every raw fragment is split at each
// occurrence. Control and unknown tokens are only recognized when parse_special is set; user-defined
// tokens always are. Tokens marked LStrip/RStrip eat the whitespace beside them.

import { TokenAttr } from './tokenAttributes.js';
import type { Vocab } from './vocab.js';

/** A piece of input: raw text still to tokenize, or a token id already decided. */
export type Fragment = string | number;

/** Splits `text` into raw-text fragments and special-token ids. */
export function splitOnSpecialTokens(vocab: Vocab, text: string, parseSpecial: boolean): Fragment[] {
  if (text === '') return [];
  let fragments: Fragment[] = [text];
  const seen = new Map<string, boolean>();
  for (const id of vocab.specialCache) {
    if (!parseSpecial && vocab.has(id, TokenAttr.Control | TokenAttr.Unknown)) continue;
    const special = vocab.texts[id];
    // Fragments are slices of `text`: a token whose first characters never occur cannot match.
    const probe = special.slice(0, 2);
    let present = seen.get(probe);
    if (present === undefined) seen.set(probe, (present = text.includes(probe)));
    if (!present || !text.includes(special)) continue;
    const next: Fragment[] = [];
    for (const fragment of fragments) {
      if (typeof fragment === 'number') next.push(fragment);
      else splitFragment(vocab, fragment, id, next);
    }
    fragments = next;
  }
  return fragments;
}

function splitFragment(vocab: Vocab, fragment: string, id: number, out: Fragment[]): void {
  const special = vocab.texts[id];
  const lstrip = vocab.has(id, TokenAttr.LStrip);
  const rstrip = vocab.has(id, TokenAttr.RStrip);
  let start = 0;
  for (let match = fragment.indexOf(special); match >= 0; match = fragment.indexOf(special, start)) {
    let leftEnd = match;
    if (lstrip) while (leftEnd > start && isCSpace(fragment.charCodeAt(leftEnd - 1))) leftEnd--;
    if (leftEnd > start) out.push(fragment.slice(start, leftEnd));
    out.push(id);
    start = match + special.length;
    if (rstrip) while (start < fragment.length && isCSpace(fragment.charCodeAt(start))) start++;
  }
  if (start < fragment.length) out.push(fragment.slice(start));
}

/** C isspace() in the "C" locale: space, \t, \n, \v, \f, \r. */
function isCSpace(unit: number): boolean {
  return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);
}
