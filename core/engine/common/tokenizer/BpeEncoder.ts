// Byte-level BPE (llama.cpp llm_tokenizer_bpe_session): the pre-tokenizer cuts text into words;
// each word's UTF-8 bytes become GPT-2 stand-in characters, which are merged by rank. A symbol
// that is not a token at the end falls back to its single-character tokens. Words repeat a lot in
// real text, so the ids of recent words are cached.

import { BugIndicatingError } from '../../../base/common/errors.js';
import type { PreTokenizer } from './preTokenizers.js';
import { preTokenize } from './regexSplit.js';
import { PairTable, SYMBOL_LIMIT } from './PairTable.js';
import { SymbolMerger } from './SymbolMerger.js';
import { BYTE_TO_CHAR, utf8Bytes } from './unicode.js';
import type { Vocab } from './vocab.js';
import { WordCache } from './WordCache.js';

/** Encodes raw-text fragments with a byte-level BPE vocabulary. */
export class BpeEncoder {
  private readonly pre: PreTokenizer;
  /** Strings that are merge parts or results but not tokens; their ids start at vocab.size. */
  private readonly extraIds = new Map<string, number>();
  private readonly extraTexts: string[] = [];
  private readonly byteSymbols = new Int32Array(256);
  private readonly merger: SymbolMerger;
  private readonly words = new WordCache((word) => this.encodeWord(word));
  /** Symbol made by each merge rank; resolved on first use (-1 until then) to keep loading fast. */
  private readonly results: Int32Array;

  constructor(private readonly vocab: Vocab) {
    if (!vocab.preTokenizer) throw new BugIndicatingError('a BPE vocabulary needs a pre-tokenizer');
    this.pre = vocab.preTokenizer;
    const pairs = new PairTable();
    vocab.merges.forEach(([left, right], rank) => pairs.add(this.intern(left), this.intern(right), rank));
    for (let byte = 0; byte < 256; byte++) this.byteSymbols[byte] = this.intern(BYTE_TO_CHAR[byte]);
    this.results = new Int32Array(vocab.merges.length).fill(-1);
    this.merger = new SymbolMerger(pairs, { priority: (rank) => rank, result: (rank) => this.resultOf(rank) });
  }

  /** Appends the ids of `text` (a fragment with no special tokens in it) to `out`. */
  encode(text: string, out: number[]): void {
    for (const word of preTokenize(this.pre, text)) this.words.append(word, out);
  }

  private encodeWord(word: string): number[] {
    const bytes = utf8Bytes(word);
    if (this.vocab.flags.ignoreMerges) {
      let spelled = '';
      for (const byte of bytes) spelled += BYTE_TO_CHAR[byte];
      const id = this.vocab.ids.get(spelled);
      if (id !== undefined) return [id];
    }
    const input = new Int32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) input[i] = this.byteSymbols[bytes[i]];
    const ids: number[] = [];
    for (const symbol of this.merger.merge(input)) {
      if (symbol < this.vocab.size) ids.push(symbol);
      else this.fallBack(this.extraTexts[symbol - this.vocab.size], ids);
    }
    return ids;
  }

  /** llama.cpp looks each byte of an unknown symbol up as a one-byte token; only ASCII can match. */
  private fallBack(text: string, ids: number[]): void {
    for (const char of text) {
      const id = char.charCodeAt(0) < 0x80 ? this.vocab.ids.get(char) : undefined;
      if (id !== undefined) ids.push(id);
    }
  }

  private resultOf(rank: number): number {
    if (this.results[rank] < 0) {
      const [left, right] = this.vocab.merges[rank];
      this.results[rank] = this.intern(left + right);
    }
    return this.results[rank];
  }

  private intern(text: string): number {
    const id = this.vocab.ids.get(text) ?? this.extraIds.get(text);
    if (id !== undefined) return id;
    const extra = this.vocab.size + this.extraTexts.length;
    if (extra >= SYMBOL_LIMIT) throw new BugIndicatingError(`too many BPE symbols (${extra})`);
    this.extraIds.set(text, extra);
    this.extraTexts.push(text);
    return extra;
  }
}
