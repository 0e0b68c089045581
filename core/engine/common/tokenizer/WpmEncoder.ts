// WordPiece as llama.cpp runs it (llm_tokenizer_wpm_session): normalize (NFD first character and
// accent stripping, lowercase), split on whitespace, punctuation, ASCII symbols and CJK characters,
// then cover each word, written "▁word", greedily with the longest tokens; a word that cannot be
// covered becomes the unknown token. Word-start tokens carry "▁" in llama.cpp's GGUF vocabularies.

import { CodePointFlag, codePointFlags, nfdFirst, simpleLowercase } from './unicode.js';
import type { Vocab } from './vocab.js';

const WORD_START = '\u2581';

/** Encodes raw-text fragments with a WordPiece vocabulary. */
export class WpmEncoder {
  constructor(private readonly vocab: Vocab) {}

  /** Appends the ids of `text` to `out`. */
  encode(text: string, out: number[]): void {
    for (const word of this.words(text)) this.encodeWord(WORD_START + word, out);
  }

  private encodeWord(word: string, out: number[]): void {
    const { ids, maxTokenLength } = this.vocab;
    const start = out.length;
    for (let i = 0; i < word.length; ) {
      let end = Math.min(word.length, i + maxTokenLength);
      for (; end > i; end--) {
        const id = ids.get(word.slice(i, end));
        if (id !== undefined) {
          out.push(id);
          break;
        }
      }
      if (end === i) {
        out.length = start;
        break;
      }
      i = end;
    }
    if (out.length === start && this.vocab.special.unk !== undefined) out.push(this.vocab.special.unk);
  }

  /** llama.cpp's preprocess: normalized words, punctuation and CJK characters as words of their own. */
  private words(text: string): string[] {
    const { lowercase, stripAccents } = this.vocab.flags;
    const words: string[] = [];
    let word = '';
    for (const char of text) {
      let codePoint = char.codePointAt(0)!;
      if (stripAccents) codePoint = nfdFirst(codePoint);
      const flags = codePointFlags(codePoint);
      if (flags & CodePointFlag.Whitespace) {
        if (word) words.push(word);
        word = '';
        continue;
      }
      if (codePoint === 0 || codePoint === 0xfffd || flags & CodePointFlag.Control) continue;
      if (stripAccents && flags & CodePointFlag.AccentMark) continue;
      const normalized = String.fromCodePoint(lowercase ? simpleLowercase(codePoint) : codePoint);
      if (flags & CodePointFlag.Punctuation || (codePoint < 0x7f && flags & CodePointFlag.Symbol) || isChineseChar(codePoint)) {
        if (word) words.push(word);
        words.push(normalized);
        word = '';
      } else {
        word += normalized;
      }
    }
    if (word) words.push(word);
    return words;
  }
}

/** The CJK ranges BERT's tokenizer splits per character (llama.cpp keeps HF's 0x2B920 quirk). */
function isChineseChar(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x20000 && c <= 0x2a6df) ||
    (c >= 0x2a700 && c <= 0x2b73f) || (c >= 0x2b740 && c <= 0x2b81f) || (c >= 0x2b920 && c <= 0x2ceaf) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x2f800 && c <= 0x2fa1f);
}
