// The Tokenizer over a loaded Vocab: encode is llama.cpp's llama_tokenize (split on special
// tokens, then SentencePiece / BPE / WordPiece per fragment, with BOS/EOS as the model asks);
// decode and the stream decoder are llama_detokenize and llama_token_to_piece.

import { BpeEncoder } from './BpeEncoder.js';
import { PieceStreamDecoder, PieceTable, detokenize } from './detokenize.js';
import { splitOnSpecialTokens, type Fragment } from './specialSplit.js';
import { SpmEncoder } from './SpmEncoder.js';
import type { EncodeOptions, StreamDecoder, Tokenizer } from './tokenizer.js';
import { wellFormed } from './unicode.js';
import { TokenAttr } from './tokenAttributes.js';
import type { Vocab } from './vocab.js';
import { WpmEncoder } from './WpmEncoder.js';

/** Encodes one raw-text fragment (no special tokens in it), appending ids. */
interface FragmentEncoder {
  encode(text: string, out: number[]): void;
}

/**
 * A Tokenizer with llama.cpp's semantics:
 * - `encode(text, {addSpecial, parseSpecial})` is llama_tokenize(text, add_special, parse_special).
 * - `decode(ids, {skipSpecial})` is llama_detokenize(ids, remove_special = skipSpecial,
 *   unparse_special = !skipSpecial): SentencePiece drops the first piece's leading space, except
 *   right after a BOS it has removed; BPE models with clean_spaces tidy " ," and the like.
 * - The stream decoder concatenates llama_token_to_piece pieces (what llama.cpp's server streams):
 *   no leading-space or clean-up rules, and a character split over tokens waits until complete.
 * - `isSpecial` is true for control and unknown tokens: the ones `skipSpecial` drops.
 * An instance keeps caches and scratch buffers; use it from one thread at a time.
 */
export class VocabTokenizer implements Tokenizer {
  private readonly encoder: FragmentEncoder;
  private readonly pieces: PieceTable;

  constructor(private readonly vocab: Vocab) {
    this.encoder = vocab.kind === 'spm' ? new SpmEncoder(vocab) : vocab.kind === 'bpe' ? new BpeEncoder(vocab) : new WpmEncoder(vocab);
    this.pieces = new PieceTable(vocab);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }
  get bosId(): number | undefined {
    return this.vocab.special.bos;
  }
  get eosId(): number | undefined {
    return this.vocab.special.eos;
  }
  get eogIds(): ReadonlySet<number> {
    return this.vocab.eog;
  }
  get addBos(): boolean {
    return this.vocab.flags.addBos;
  }
  get addEos(): boolean {
    return this.vocab.flags.addEos;
  }

  encode(text: string, options?: EncodeOptions): number[] {
    const addSpecial = options?.addSpecial ?? false;
    const fragments = splitOnSpecialTokens(this.vocab, wellFormed(text), options?.parseSpecial ?? false);
    const { special, flags } = this.vocab;
    const out: number[] = [];
    if (this.vocab.kind === 'wpm') {
      if (addSpecial && special.bos !== undefined) out.push(special.bos);
      this.encodeFragments(fragments, out);
      if (addSpecial && special.sep !== undefined) out.push(special.sep);
      return out;
    }
    if (addSpecial && flags.addBos) out.push(special.bos!);
    if (this.vocab.kind === 'spm') this.encodeSentencePiece(fragments, out);
    else this.encodeFragments(fragments, out);
    if (addSpecial && flags.addEos) out.push(special.eos!);
    return out;
  }

  private encodeFragments(fragments: readonly Fragment[], out: number[]): void {
    for (const fragment of fragments) {
      if (typeof fragment === 'number') out.push(fragment);
      else this.encoder.encode(fragment, out);
    }
  }

  /** SentencePiece: a space goes before text that starts the input or follows a special token. */
  private encodeSentencePiece(fragments: readonly Fragment[], out: number[]): void {
    let afterSpecial = true;
    for (const fragment of fragments) {
      if (typeof fragment === 'number') {
        out.push(fragment);
        afterSpecial = true;
        continue;
      }
      const text = this.vocab.flags.addSpacePrefix && afterSpecial ? ` ${fragment}` : fragment;
      this.encoder.encode(text.replaceAll(' ', '\u2581'), out);
      afterSpecial = false;
    }
  }

  tokenBytes(id: number): Uint8Array {
    return this.pieces.piece(id, true).slice();
  }

  decode(ids: readonly number[], options?: { readonly skipSpecial?: boolean }): string {
    const skip = options?.skipSpecial ?? false;
    return detokenize(this.vocab, this.pieces, ids, skip, !skip);
  }

  tokenText(id: number): string {
    this.vocab.checkId(id);
    return this.vocab.texts[id];
  }

  isSpecial(id: number): boolean {
    this.vocab.checkId(id);
    return this.vocab.has(id, TokenAttr.Control | TokenAttr.Unknown);
  }

  createStreamDecoder(options?: { readonly skipSpecial?: boolean }): StreamDecoder {
    return new PieceStreamDecoder(this.pieces, !(options?.skipSpecial ?? false));
  }
}
