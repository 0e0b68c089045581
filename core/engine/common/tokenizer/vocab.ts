// The vocabulary every tokenizer works from: token texts, scores, attributes, special ids and the
// flags llama.cpp derives at load time. Loaders (GGUF, tokenizer.json) fill a VocabData; `new
// Vocab(data)` then applies llama.cpp's load-time fixes (special-token detection, EOG set) once.

import { ArgumentError, ModelFileError } from '../../../base/common/errors.js';
import { PRIORITY_LIMIT } from './MergeQueue.js';
import type { PreTokenizer } from './preTokenizers.js';
import { resolveSpecialTokens } from './specialTokens.js';

/** SentencePiece (llama.cpp SPM), byte-level BPE, or WordPiece (llama.cpp WPM). */
export type VocabKind = 'spm' | 'bpe' | 'wpm';

/** Ids of the special tokens; undefined where the model has none. */
export interface SpecialTokenIds {
  bos?: number;
  eos?: number;
  eot?: number;
  eom?: number;
  unk?: number;
  sep?: number;
  pad?: number;
  mask?: number;
  fimPre?: number;
  fimSuf?: number;
  fimMid?: number;
  fimPad?: number;
  fimRep?: number;
  fimSep?: number;
}

/** Tokenizer switches with llama.cpp's names in the comments. */
export interface VocabFlags {
  /** add_bos: encode({addSpecial}) prepends BOS. */
  addBos: boolean;
  /** add_eos: encode({addSpecial}) appends EOS. */
  addEos: boolean;
  /** add_sep: WordPiece appends SEP. */
  addSep: boolean;
  /** add_space_prefix: SentencePiece puts a space before text that starts the input or follows a special token. */
  addSpacePrefix: boolean;
  /** clean_spaces: decode removes the space before , . ! ? and some apostrophe contractions. */
  cleanSpaces: boolean;
  /** ignore_merges: a pre-tokenized word that is itself a token is not split by BPE. */
  ignoreMerges: boolean;
  /** WordPiece normalizer: lowercase, and strip accents. */
  lowercase: boolean;
  stripAccents: boolean;
}

/** What a loader reads from a model file, before the load-time fixes. */
export interface VocabData {
  /** The file named in errors. */
  readonly file: string;
  readonly kind: VocabKind;
  readonly texts: readonly string[];
  readonly scores: Float32Array;
  /** TokenAttr bits per token; the load-time fixes may change some. */
  readonly attrs: Uint16Array;
  readonly special: SpecialTokenIds;
  readonly flags: VocabFlags;
  /** BPE merges in rank order (bpe only). */
  readonly merges?: readonly (readonly [string, string])[];
  /** How text is split into words before BPE (bpe only). */
  readonly preTokenizer?: PreTokenizer;
  /** general.name, general.architecture and tokenizer.ggml.pre: llama.cpp keys some fixes on them. */
  readonly modelName?: string;
  readonly architecture?: string;
  readonly preName?: string;
}

/** A loaded vocabulary with its lookup tables. Immutable once built. */
export class Vocab {
  readonly file: string;
  readonly kind: VocabKind;
  readonly texts: readonly string[];
  readonly scores: Float32Array;
  readonly attrs: Uint16Array;
  readonly special: Readonly<SpecialTokenIds>;
  readonly flags: Readonly<VocabFlags>;
  readonly merges: readonly (readonly [string, string])[];
  readonly preTokenizer: PreTokenizer | undefined;
  /** Token text -> id. */
  readonly ids: ReadonlyMap<string, number>;
  /** Every id that ends generation. */
  readonly eog: ReadonlySet<number>;
  /** Control, user-defined and unknown tokens, longest text first: the order text is split on them. */
  readonly specialCache: readonly number[];
  /** Longest token text, in UTF-16 code units. */
  readonly maxTokenLength: number;

  constructor(data: VocabData) {
    this.file = data.file;
    this.kind = data.kind;
    this.texts = data.texts;
    this.scores = data.scores;
    this.attrs = data.attrs;
    this.special = data.special;
    this.flags = data.flags;
    this.merges = data.merges ?? [];
    this.preTokenizer = data.preTokenizer;
    this.ids = buildIdMap(data.file, data.texts);
    checkSizes(data);
    checkAddedTokens(data);
    this.maxTokenLength = data.texts.reduce((max, text) => Math.max(max, text.length), 0);
    const resolved = resolveSpecialTokens(this.texts, this.ids, this.attrs, data.special, data);
    this.eog = resolved.eog;
    this.specialCache = resolved.specialCache;
  }

  get size(): number {
    return this.texts.length;
  }

  /** Throws an ArgumentError unless `id` is a token id of this vocabulary. */
  checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.texts.length) {
      throw new ArgumentError(`token id ${id} is out of range; the vocabulary has ids 0 to ${this.texts.length - 1}`);
    }
  }

  /** True when token `id` has any of the TokenAttr bits in `mask`. */
  has(id: number, mask: number): boolean {
    return (this.attrs[id] & mask) !== 0;
  }
}

/** A merge written "left right", split at the first space after the first character as llama.cpp splits it. */
export function splitMerge(merge: string): [string, string] | undefined {
  const space = merge.indexOf(' ', 1);
  return space < 0 ? undefined : [merge.slice(0, space), merge.slice(space + 1)];
}

/** Token ids and merge ranks become merge priorities, which must stay below PRIORITY_LIMIT. */
function checkSizes({ file, texts, merges }: VocabData): void {
  if (texts.length >= PRIORITY_LIMIT) throw new ModelFileError(file, `has ${texts.length} tokens; at most ${PRIORITY_LIMIT - 1} are supported`);
  if ((merges?.length ?? 0) >= PRIORITY_LIMIT) throw new ModelFileError(file, `has ${merges!.length} merges; at most ${PRIORITY_LIMIT - 1} are supported`);
}

/** llama.cpp refuses a model that asks for BOS/EOS/SEP to be added but has no such token. */
function checkAddedTokens({ file, flags, special }: VocabData): void {
  const checks = [[flags.addBos, special.bos, 'add_bos_token', 'bos_token_id'], [flags.addEos, special.eos, 'add_eos_token', 'eos_token_id']] as const;
  for (const [add, id, addKey, idKey] of checks) {
    if (add && id === undefined) throw new ModelFileError(file, `${addKey} is true, but ${idKey} is not set`);
  }
}

function buildIdMap(file: string, texts: readonly string[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (let id = 0; id < texts.length; id++) {
    const previous = ids.get(texts[id]);
    if (previous !== undefined) {
      throw new ModelFileError(file, `duplicate token in vocabulary: ${JSON.stringify(texts[id])} has ids ${previous} and ${id}`);
    }
    ids.set(texts[id], id);
  }
  return ids;
}
