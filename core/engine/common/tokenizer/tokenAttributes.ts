// Token attributes (llama_token_attr) and how GGUF's tokenizer.ggml.token_type values map to them.

/** Token attributes (llama_token_attr), as bits. */
export const TokenAttr = {
  Undefined: 0,
  Unknown: 1 << 0,
  Unused: 1 << 1,
  Normal: 1 << 2,
  Control: 1 << 3,
  UserDefined: 1 << 4,
  Byte: 1 << 5,
  Normalized: 1 << 6,
  /** Strip whitespace left of this token when it is split out of text. */
  LStrip: 1 << 7,
  /** Strip whitespace right of this token when it is split out of text. */
  RStrip: 1 << 8,
  SingleWord: 1 << 9,
} as const;

/** Attribute of a GGUF `tokenizer.ggml.token_type` value (1 normal ... 6 byte). */
export function attrFromTokenType(type: number): number {
  switch (type) {
    case 1: return TokenAttr.Normal;
    case 2: return TokenAttr.Unknown;
    case 3: return TokenAttr.Control;
    case 4: return TokenAttr.UserDefined;
    case 5: return TokenAttr.Unused;
    case 6: return TokenAttr.Byte;
    default: return TokenAttr.Undefined;
  }
}
