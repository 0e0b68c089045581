// Token counts for a server whose tokenizer is out of reach (the OpenAI API has no tokenize
// call): an ESTIMATE of one token per 3 bytes of UTF-8. English prose runs about 4 bytes per
// token and code about 3 with the usual BPE and WordPiece vocabularies, so this errs on the side
// of more tokens: prompts come out smaller and chunks shorter than a limit, never longer. Shared
// by the remote chat model (core/assistant) and the remote embedder (core/rag/embed).

/** UTF-8 bytes of `text`, counted without encoding it. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdfff) bytes += 2; // half of a surrogate pair: 4 bytes a pair
    else bytes += 3;
  }
  return bytes;
}

/** UTF-8 bytes per estimated token. */
export const BYTES_PER_ESTIMATED_TOKEN = 3;

/** The estimated tokens of `text` for a server's model. */
export function estimateTokens(text: string): number {
  return Math.ceil(utf8Bytes(text) / BYTES_PER_ESTIMATED_TOKEN);
}
