// Tokenizer from GGUF metadata (tokenizer.ggml.*), read as llama.cpp's llama_vocab::impl::load
// reads it: the defaults of each tokenizer model, the pre-tokenizer named by tokenizer.ggml.pre,
// then the keys that override them. Special ids outside the vocabulary are ignored, as there.

import { ModelFileError } from '../../../base/common/errors.js';
import type { GgufMetadata } from '../gguf/ggufValues.js';
import { PRE_TOKENIZER_NAMES, preTokenizerByName, type PreTokenizer } from './preTokenizers.js';
import type { Tokenizer } from './tokenizer.js';
import { TokenAttr, attrFromTokenType } from './tokenAttributes.js';
import { Vocab, splitMerge, type SpecialTokenIds, type VocabFlags, type VocabKind } from './vocab.js';
import { VocabTokenizer } from './VocabTokenizer.js';

const MODELS: Readonly<Record<string, VocabKind>> = { llama: 'spm', gpt2: 'bpe', bert: 'wpm' };
const SUPPORTED_MODELS = 'llama (SentencePiece), gpt2 (byte-level BPE), bert (WordPiece)';

/** Metadata key suffix (tokenizer.ggml.<key>) of each special id. */
const SPECIAL_KEYS: readonly (readonly [keyof SpecialTokenIds, string])[] = [
  ['bos', 'bos_token_id'], ['eos', 'eos_token_id'], ['eot', 'eot_token_id'], ['eom', 'eom_token_id'],
  ['unk', 'unknown_token_id'], ['sep', 'seperator_token_id'], ['pad', 'padding_token_id'], ['mask', 'mask_token_id'],
  ['fimPre', 'fim_pre_token_id'], ['fimSuf', 'fim_suf_token_id'], ['fimMid', 'fim_mid_token_id'],
  ['fimPad', 'fim_pad_token_id'], ['fimRep', 'fim_rep_token_id'], ['fimSep', 'fim_sep_token_id'],
  ['fimPre', 'prefix_token_id'], ['fimSuf', 'suffix_token_id'], ['fimMid', 'middle_token_id'],
];

/** Default special ids and flags of each tokenizer model in llama.cpp. */
const DEFAULTS: Readonly<Record<VocabKind, { special: SpecialTokenIds; flags: VocabFlags }>> = {
  spm: {
    special: { bos: 1, eos: 2, unk: 0 },
    flags: { addBos: true, addEos: false, addSep: false, addSpacePrefix: true, cleanSpaces: false, ignoreMerges: false, lowercase: true, stripAccents: true },
  },
  bpe: {
    special: { bos: 11, eos: 11 },
    flags: { addBos: false, addEos: false, addSep: false, addSpacePrefix: false, cleanSpaces: true, ignoreMerges: false, lowercase: true, stripAccents: true },
  },
  wpm: {
    special: { bos: 101, unk: 100, sep: 102, pad: 0, mask: 103 },
    flags: { addBos: true, addEos: false, addSep: true, addSpacePrefix: false, cleanSpaces: true, ignoreMerges: false, lowercase: true, stripAccents: true },
  },
};

/** A tokenizer from the tokenizer.ggml.* keys of a GGUF file. */
export function tokenizerFromGguf(metadata: GgufMetadata): Tokenizer {
  const file = metadata.file;
  const texts = metadata.stringArray('tokenizer.ggml.tokens');
  if (texts === undefined) throw new ModelFileError(file, 'has no tokenizer (tokenizer.ggml.tokens missing)');
  const model = metadata.string('tokenizer.ggml.model');
  const kind = Object.hasOwn(MODELS, model) ? MODELS[model] : undefined;
  if (kind === undefined) {
    throw new ModelFileError(file, `tokenizer model "${model}" (tokenizer.ggml.model) is not supported; supported models: ${SUPPORTED_MODELS}`);
  }
  const n = texts.length;
  const special = { ...DEFAULTS[kind].special };
  const flags = { ...DEFAULTS[kind].flags };
  const preTokenizer = kind === 'bpe' ? readPreTokenizer(metadata, special, flags) : undefined;
  flags.addSpacePrefix = metadata.boolean('tokenizer.ggml.add_space_prefix', flags.addSpacePrefix);
  readSpecialIds(metadata, special, n);
  flags.addBos = metadata.boolean('tokenizer.ggml.add_bos_token', flags.addBos);
  flags.addEos = metadata.boolean('tokenizer.ggml.add_eos_token', flags.addEos);
  flags.addSep = metadata.boolean('tokenizer.ggml.add_sep_token', flags.addSep);
  flags.lowercase = metadata.boolean('tokenizer.ggml.normalizer.lowercase', flags.lowercase);
  flags.stripAccents = metadata.boolean('tokenizer.ggml.normalizer.strip_accents', flags.lowercase);
  const vocab = new Vocab({
    file,
    kind,
    texts: texts.map((text, id) => (text === '' ? `[EMPTY_${id}]` : text)),
    scores: readScores(metadata, n),
    attrs: readAttributes(metadata, n),
    special,
    flags,
    merges: kind === 'bpe' ? readMerges(metadata) : undefined,
    preTokenizer,
    modelName: metadata.string('general.name', ''),
    architecture: metadata.string('general.architecture', ''),
    preName: metadata.string('tokenizer.ggml.pre', ''),
  });
  return new VocabTokenizer(vocab);
}

function readPreTokenizer(metadata: GgufMetadata, special: SpecialTokenIds, flags: VocabFlags): PreTokenizer {
  const name = metadata.string('tokenizer.ggml.pre', 'default');
  const pre = preTokenizerByName(name);
  if (pre === undefined) {
    throw new ModelFileError(metadata.file, `pre-tokenizer "${name}" (tokenizer.ggml.pre) is not supported; supported: ${PRE_TOKENIZER_NAMES.join(', ')}`);
  }
  flags.cleanSpaces = pre.cleanSpaces;
  flags.ignoreMerges = pre.ignoreMerges;
  flags.addBos = pre.addBos;
  flags.addSep = pre.addSep;
  if (pre.noBos) special.bos = undefined;
  return pre;
}

/** Reads the special ids; a default or a stored id outside the vocabulary is dropped / ignored. */
function readSpecialIds(metadata: GgufMetadata, special: SpecialTokenIds, n: number): void {
  for (const [field, key] of SPECIAL_KEYS) {
    const current = special[field];
    if (current !== undefined && current >= n) special[field] = undefined;
    const fullKey = `tokenizer.ggml.${key}`;
    if (!metadata.has(fullKey)) continue;
    const id = metadata.number(fullKey);
    if (Number.isInteger(id) && id >= 0 && id < n) special[field] = id;
  }
}

function readScores(metadata: GgufMetadata, n: number): Float32Array {
  const scores = metadata.floatArray('tokenizer.ggml.scores');
  if (scores === undefined) return new Float32Array(n);
  if (scores.length < n) throw new ModelFileError(metadata.file, `tokenizer.ggml.scores has ${scores.length} entries for ${n} tokens`);
  return scores;
}

function readAttributes(metadata: GgufMetadata, n: number): Uint16Array {
  const types = metadata.intArray('tokenizer.ggml.token_type');
  if (types === undefined) return new Uint16Array(n).fill(TokenAttr.Normal);
  if (types.length < n) throw new ModelFileError(metadata.file, `tokenizer.ggml.token_type has ${types.length} entries for ${n} tokens`);
  const attrs = new Uint16Array(n);
  for (let id = 0; id < n; id++) attrs[id] = attrFromTokenType(types[id]);
  return attrs;
}

function readMerges(metadata: GgufMetadata): [string, string][] {
  const merges = metadata.stringArray('tokenizer.ggml.merges');
  if (merges === undefined) throw new ModelFileError(metadata.file, 'has a BPE tokenizer without merges (tokenizer.ggml.merges missing)');
  // llama.cpp keeps a merge without a space as the pair ("", ""), which never matches.
  return merges.map((merge) => splitMerge(merge) ?? ['', '']);
}
