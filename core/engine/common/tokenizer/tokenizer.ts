// The interface every tokenizer implements (SentencePiece, byte-level BPE, WordPiece), whether
// read from GGUF metadata or from a Hugging Face tokenizer.json. Semantics follow llama.cpp's
// llama_tokenize / llama_token_to_piece so that ids match the reference exactly.

/** Options of `encode`, as llama_tokenize's flags. */
export interface EncodeOptions {
  /** Add BOS/EOS (and CLS/SEP for WordPiece) as the model's metadata asks. Default false. */
  readonly addSpecial?: boolean;
  /** Recognize special/control tokens written in the text (e.g. "<|im_start|>"). Default false. */
  readonly parseSpecial?: boolean;
}

/** Turns a stream of token ids into text without ever splitting a UTF-8 character. */
export interface StreamDecoder {
  /** Adds one token; returns the text that is now complete (possibly ""). */
  push(id: number): string;
  /** Returns whatever is left (incomplete bytes become U+FFFD). */
  flush(): string;
}

export interface Tokenizer {
  /** Number of token ids. */
  readonly vocabSize: number;
  /** Beginning-of-sequence id, if the model has one. */
  readonly bosId: number | undefined;
  /** End-of-sequence id, if the model has one. */
  readonly eosId: number | undefined;
  /** Every id that ends generation (EOS, EOT, <|im_end|>, <|eot_id|>, ...). */
  readonly eogIds: ReadonlySet<number>;
  /** Whether encode({addSpecial: true}) prepends BOS / appends EOS. */
  readonly addBos: boolean;
  readonly addEos: boolean;
  /** Text to token ids. */
  encode(text: string, options?: EncodeOptions): number[];
  /** The bytes a token stands for, as llama_token_to_piece with special tokens rendered. */
  tokenBytes(id: number): Uint8Array;
  /** Token ids to text; `skipSpecial` drops control tokens (BOS, EOS, ...). */
  decode(ids: readonly number[], options?: { readonly skipSpecial?: boolean }): string;
  /** The vocabulary string of a token id (as stored in the model). */
  tokenText(id: number): string;
  /** True for control tokens (BOS, EOS, <|im_start|>...). */
  isSpecial(id: number): boolean;
  /** A fresh incremental decoder. */
  createStreamDecoder(options?: { readonly skipSpecial?: boolean }): StreamDecoder;
}
