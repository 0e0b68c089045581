// The token table of a Hugging Face tokenizer.json: model.vocab plus added_tokens (and the
// added_tokens_decoder of tokenizer_config.json), typed the way llama.cpp's converter types them:
// special or special-looking added tokens are control tokens, other added tokens user-defined,
// <0xXX> pieces of a byte-fallback vocabulary byte tokens.

import { ModelFileError } from '../../../base/common/errors.js';
import { JsonObject, checkTokenId, fail, isObject } from '../../../base/common/jsonFields.js';
import { TokenAttr } from './tokenAttributes.js';
import { splitMerge } from './vocab.js';

/** Texts and attributes indexed by id. */
export interface TokenTable {
  readonly texts: string[];
  readonly attrs: Uint16Array;
}

interface AddedToken {
  readonly id: number;
  readonly content: string;
  readonly special: boolean;
}

const BYTE_PIECE = /^<0x[0-9A-Fa-f]{2}>$/;

/** Reads model.vocab and the added tokens; ids missing from both become unused "[PAD<id>]". */
export function readTokenTable(root: JsonObject, model: JsonObject, config: JsonObject | undefined, byteFallback: boolean): TokenTable {
  const vocab = model.object('vocab');
  const added = readAddedTokens(root, config);
  const texts: (string | undefined)[] = [];
  const attrs: number[] = [];
  let given = 0;
  for (const text in vocab.value) {
    const id = checkTokenId(vocab.value[text], vocab.file, vocab.at(text));
    if (texts[id] === undefined) given++;
    texts[id] = text;
    attrs[id] = byteFallback && BYTE_PIECE.test(text) ? TokenAttr.Byte : TokenAttr.Normal;
  }
  for (const token of added) {
    if (texts[token.id] === undefined) given++;
    const control = token.special || looksSpecial(token.content);
    texts[token.id] = control ? token.content : token.content.replaceAll('\u2581', ' ');
    attrs[token.id] = control ? TokenAttr.Control : TokenAttr.UserDefined;
  }
  if (texts.length > 2 * given + 1024) {
    throw new ModelFileError(root.file, `token ids go up to ${texts.length - 1} for only ${given} tokens ("model.vocab" and "added_tokens")`);
  }
  for (let id = 0; id < texts.length; id++) {
    if (texts[id] !== undefined) continue;
    texts[id] = `[PAD${id}]`;
    attrs[id] = TokenAttr.Unused;
  }
  return { texts: texts as string[], attrs: Uint16Array.from(attrs) };
}

/** added_tokens of tokenizer.json, then added_tokens_decoder of tokenizer_config.json over them. */
function readAddedTokens(root: JsonObject, config: JsonObject | undefined): AddedToken[] {
  const byId = new Map<number, AddedToken>();
  const add = (token: JsonObject, id: number): void => {
    byId.set(id, { id, content: token.string('content'), special: token.optionalBoolean('special') ?? false });
  };
  root.array('added_tokens', true).forEach((entry, index) => {
    const token = JsonObject.of(entry, root.file, root.at('added_tokens') + `[${index}]`);
    add(token, token.tokenId('id'));
  });
  const decoder = config?.object('added_tokens_decoder', true);
  for (const [key, entry] of Object.entries(decoder?.value ?? {})) {
    const token = JsonObject.of(entry, decoder!.file, decoder!.at(key));
    add(token, checkTokenId(/^\d+$/.test(key) ? Number(key) : key, token.file, `key of ${token.path}`));
  }
  return [...byId.values()];
}

/** convert_hf_to_gguf's does_token_look_special: <|...|>, <｜...｜>, <unused...>, and a few names. */
function looksSpecial(text: string): boolean {
  return ['<pad>', '<mask>', '<2mass>', '[@BOS@]'].includes(text) ||
    (text.startsWith('<|') && text.endsWith('|>')) ||
    (text.startsWith('<｜') && text.endsWith('｜>')) ||
    (text.startsWith('<unused') && text.endsWith('>'));
}

/** model.merges as pairs: "left right" strings (split at the first space after the first character) or [left, right]. */
export function readMerges(model: JsonObject): [string, string][] {
  return model.array('merges').map((merge, index) => {
    if (typeof merge === 'string') return splitMerge(merge) ?? fail(model.file, model.at('merges') + `[${index}]`, 'a "left right" pair', merge);
    if (Array.isArray(merge) && merge.length === 2 && typeof merge[0] === 'string' && typeof merge[1] === 'string') return [merge[0], merge[1]];
    return fail(model.file, model.at('merges') + `[${index}]`, 'a "left right" string or a [left, right] pair', merge);
  });
}

/** A token named by tokenizer_config.json: a string, {content: string}, or null. */
export function configTokenText(config: JsonObject | undefined, key: string): string | undefined {
  const value = config?.value[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (isObject(value)) return JsonObject.of(value, config!.file, config!.at(key)).string('content');
  return fail(config!.file, config!.at(key), 'a token string or {"content": ...}', value);
}
