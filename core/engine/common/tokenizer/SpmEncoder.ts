// SentencePiece BPE as llama.cpp runs it (llm_tokenizer_spm_session): the text (spaces already
// written as "▁") starts as one symbol per code point; any adjacent pair whose concatenation is a
// token merges, highest score first and leftmost on ties; symbols that are not tokens at the end
// are spelled with byte tokens (<0xE2> ...). The pair table is built from the vocabulary once.
// Speed-up that keeps the result exact: a "▁" whose left neighbour is never followed by "▁" inside
// any token cannot be merged across, so the text is cut there into words that merge independently
// (merges never interact across the cut, and each side pops its merges in the same order), and the
// ids of recent words are cached.

import { PairTable, SYMBOL_LIMIT } from './PairTable.js';
import { SymbolMerger } from './SymbolMerger.js';
import { utf8Bytes } from './unicode.js';
import type { Vocab } from './vocab.js';
import { WordCache } from './WordCache.js';

/** Encodes escaped text fragments with a SentencePiece vocabulary. */
export class SpmEncoder {
  /** Single code points that are not tokens but occur inside tokens; ids from vocab.size up. */
  private readonly extraIds = new Map<string, number>();
  private readonly extraTexts: string[] = [];
  /** Token id for each byte value (<0xXX>, or the character itself), or -1. */
  private readonly byteTokens = new Int32Array(256).fill(-1);
  private readonly merger: SymbolMerger;
  /** symbolOf() of each BMP character, filled on first use (UNSET until then). */
  private readonly bmpSymbols = new Int32Array(0x10000).fill(UNSET);
  /** Code points that some token has right before a "▁": text is not cut between them and "▁". */
  private readonly joinsSpace = new Set<number>();
  private readonly words = new WordCache((word) => this.mergeWord(word));

  constructor(private readonly vocab: Vocab) {
    for (let byte = 0; byte < 256; byte++) {
      const hex = byte.toString(16).toUpperCase().padStart(2, '0');
      const id = vocab.ids.get(`<0x${hex}>`) ?? (byte < 0x80 ? vocab.ids.get(String.fromCharCode(byte)) : undefined);
      if (id !== undefined) this.byteTokens[byte] = id;
    }
    for (const text of vocab.texts) {
      for (let at = text.indexOf('\u2581', 1); at > 0; at = text.indexOf('\u2581', at + 1)) this.joinsSpace.add(codePointBefore(text, at));
    }
    const scoreRanks = rankScores(vocab.scores);
    this.merger = new SymbolMerger(this.buildPairs(), { priority: (id) => scoreRanks[id], result: (id) => id });
  }

  /** Appends the ids of `text` to `out`. */
  encode(text: string, out: number[]): void {
    let start = 0;
    for (let at = text.indexOf('\u2581', 1); at > 0; at = text.indexOf('\u2581', at + 1)) {
      const before = codePointBefore(text, at);
      if (before === SPACE || this.joinsSpace.has(before)) continue;
      this.words.append(text.slice(start, at), out);
      start = at;
    }
    this.words.append(start === 0 ? text : text.slice(start), out);
  }

  private mergeWord(text: string): number[] {
    const out: number[] = [];
    const input: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit < 0xd800 || unit > 0xdfff) {
        let symbol = this.bmpSymbols[unit];
        if (symbol === UNSET) symbol = this.bmpSymbols[unit] = this.symbolOf(text[i], false);
        input.push(symbol);
      } else {
        const codePoint = text.codePointAt(i)!;
        if (codePoint > 0xffff) i++;
        input.push(this.symbolOf(String.fromCodePoint(codePoint), false));
      }
    }
    for (const symbol of this.merger.merge(input)) {
      if (symbol >= 0 && symbol < this.vocab.size) out.push(symbol);
      else this.spellWithBytes(symbol >= 0 ? this.extraTexts[symbol - this.vocab.size] : String.fromCodePoint(-symbol - 1), out);
    }
    return out;
  }

  private spellWithBytes(text: string, out: number[]): void {
    for (const byte of utf8Bytes(text)) {
      const id = this.byteTokens[byte];
      if (id >= 0) out.push(id);
      else if (this.vocab.special.unk !== undefined) out.push(this.vocab.special.unk);
    }
  }

  /** Symbol id of a token text or a single code point; -(code point + 1) for a character never paired. */
  private symbolOf(text: string, create: boolean): number {
    const id = this.vocab.ids.get(text) ?? this.extraIds.get(text);
    if (id !== undefined) return id;
    const codePoint = text.codePointAt(0)!;
    if (!create || text.length !== String.fromCodePoint(codePoint).length) return -codePoint - 1;
    const extra = this.vocab.size + this.extraTexts.length;
    this.extraIds.set(text, extra);
    this.extraTexts.push(text);
    return extra;
  }

  /** Every (left, right) split of every token into two possible symbols -> the token. */
  private buildPairs(): PairTable {
    const texts = this.vocab.texts;
    const pairs = new PairTable();
    for (let id = 0; id < texts.length; id++) {
      const text = texts[id];
      for (let cut = 1; cut < text.length; cut++) {
        if (isLowSurrogate(text.charCodeAt(cut))) continue;
        const left = this.symbolOf(text.slice(0, cut), true);
        const right = this.symbolOf(text.slice(cut), true);
        if (left < 0 || right < 0 || this.extraTexts.length + this.vocab.size >= SYMBOL_LIMIT) continue;
        pairs.add(left, right, id);
      }
    }
    return pairs;
  }
}

const UNSET = -(2 ** 31);
const SPACE = 0x2581;

/** Per token, the rank of its score among all scores, highest first (equal scores, equal ranks). */
function rankScores(scores: Float32Array): Int32Array {
  const distinct = [...new Set(scores)].sort((a, b) => b - a);
  const rankOf = new Map(distinct.map((score, rank) => [score, rank]));
  return Int32Array.from(scores, (score) => rankOf.get(score)!);
}

/** The code point that ends just before index `at`. */
function codePointBefore(text: string, at: number): number {
  const unit = text.charCodeAt(at - 1);
  return isLowSurrogate(unit) && at >= 2 ? text.codePointAt(at - 2)! : unit;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
