// Token ids back to text, as llama.cpp's token_to_piece and detokenize: a token's bytes ("▁" read
// as a space, GPT-2 stand-in characters read as bytes, <0xXX> as one byte), the leading space that
// SentencePiece adds removed, and BPE's clean_up_tokenization_spaces. Also the streaming decoder.

import type { StreamDecoder } from './tokenizer.js';
import { CHAR_TO_BYTE, utf8Bytes } from './unicode.js';
import { TokenAttr } from './tokenAttributes.js';
import type { Vocab } from './vocab.js';

const EMPTY = new Uint8Array(0);
/** Keeps a leading U+FEFF: it is text here, not a byte order mark. */
const DECODER_OPTIONS = { ignoreBOM: true };
const RENDERED = TokenAttr.Unknown | TokenAttr.Control | TokenAttr.UserDefined;

/** Computes and caches the bytes of each token (llama_token_to_piece with special = true). */
export class PieceTable {
  private readonly pieces: (Uint8Array | undefined)[];

  constructor(private readonly vocab: Vocab) {
    this.pieces = new Array(vocab.size);
  }

  /** The bytes of `id`; control and unknown tokens give nothing unless `special`. */
  piece(id: number, special: boolean): Uint8Array {
    this.vocab.checkId(id);
    if (!special && this.vocab.has(id, TokenAttr.Control | TokenAttr.Unknown)) return EMPTY;
    return (this.pieces[id] ??= this.compute(id));
  }

  private compute(id: number): Uint8Array {
    const text = this.vocab.texts[id];
    const attr = this.vocab.attrs[id];
    if (attr & RENDERED) return utf8Bytes(text);
    if (attr & TokenAttr.Normal) return this.vocab.kind === 'bpe' ? byteLevelBytes(text) : utf8Bytes(text.replaceAll('\u2581', ' '));
    if (attr & TokenAttr.Byte) return Uint8Array.of(parseInt(text.slice(3, 5), 16));
    return EMPTY;
  }
}

/** llama_decode_text: each stand-in character is one byte; others are reported as llama.cpp does. */
function byteLevelBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const byte = char.length === 1 ? CHAR_TO_BYTE.get(char.charCodeAt(0)) : undefined;
    if (byte !== undefined) {
      out.push(byte);
      continue;
    }
    const hex = Array.from(utf8Bytes(char), (b) => b.toString(16).padStart(2, '0')).join('');
    out.push(...utf8Bytes(`[UNK_BYTE_0x${hex}${text}]`));
  }
  return Uint8Array.from(out);
}

/** llama_detokenize(tokens, remove_special, unparse_special) as a string. */
export function detokenize(vocab: Vocab, pieces: PieceTable, ids: readonly number[], removeSpecial: boolean, unparseSpecial: boolean): string {
  let first = 0;
  let end = ids.length;
  let removeSpace = vocab.flags.addSpacePrefix;
  if (removeSpecial && vocab.flags.addBos && end > 0 && ids[0] === vocab.special.bos) {
    removeSpace = false;
    first = 1;
  }
  if (removeSpecial && vocab.flags.addEos && end > first && ids[end - 1] === vocab.special.eos) end--;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let i = first; i < end; i++) {
    let piece = pieces.piece(ids[i], unparseSpecial);
    if (removeSpace && piece.length > 0 && piece[0] === 0x20) piece = piece.subarray(1);
    removeSpace = false;
    chunks.push(piece);
    total += piece.length;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  const text = vocab.flags.cleanSpaces ? cleanSpaces(bytes) : bytes;
  return new TextDecoder('utf-8', DECODER_OPTIONS).decode(text);
}

/** llama.cpp's three clean-up passes over the bytes, done in place the same way. */
function cleanSpaces(text: Uint8Array): Uint8Array {
  const SPACE = 0x20;
  const QUOTE = 0x27;
  const ch = (s: string): number => s.charCodeAt(0);
  let total = text.length;
  // " ?", " !", " .", " ," lose their space.
  let length = total;
  total = total ? 1 : 0;
  for (let i = 1; i < length; i++) {
    const x = text[i];
    if (text[i - 1] === SPACE && (x === ch('?') || x === ch('!') || x === ch('.') || x === ch(','))) total--;
    text[total++] = x;
  }
  // " ' " becomes "'".
  length = total;
  total = total ? 1 : 0;
  for (let i = 1; i < length; i++) {
    const x = text[i];
    if (x === QUOTE && i + 1 < length && text[i - 1] === SPACE && text[i + 1] === SPACE) {
      total--;
      text[++i] = 0;
    }
    text[total++] = x;
  }
  // " 's", " 'm", " 're", " 've" lose their space.
  length = total;
  total = total ? 1 : 0;
  for (let i = 1; i < length; i++) {
    const x = text[i];
    if (text[i - 1] === SPACE && x === QUOTE && i + 1 < length) {
      const x1 = text[i + 1];
      if (x1 === ch('s') || x1 === ch('m')) total--;
      else if (i + 2 < length && ((x1 === ch('r') || x1 === ch('v')) && text[i + 2] === ch('e'))) total--;
    }
    text[total++] = x;
  }
  return text.subarray(0, total);
}

/** Streams pieces (token_to_piece, no leading-space or clean-up rules) as complete UTF-8 text. */
export class PieceStreamDecoder implements StreamDecoder {
  private readonly decoder = new TextDecoder('utf-8', DECODER_OPTIONS);

  constructor(
    private readonly pieces: PieceTable,
    private readonly special: boolean,
  ) {}

  push(id: number): string {
    return this.decoder.decode(this.pieces.piece(id, this.special), { stream: true });
  }

  flush(): string {
    return this.decoder.decode();
  }
}
