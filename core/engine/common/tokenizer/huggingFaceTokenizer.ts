// Tokenizer from a Hugging Face tokenizer.json (+ tokenizer_config.json), mapped onto what
// llama.cpp would run after converting the model to GGUF: a byte-level BPE with a known Split regex
// (Llama 3, Qwen2/2.5/3, Mistral tekken, GPT-4o) or GPT-2/SmolLM's ByteLevel regex; or a
// SentencePiece-style BPE with byte_fallback (Llama 2, TinyLlama, Mistral), run as llama.cpp's
// SentencePiece with each token scored by the rank of the merge that makes it.

import { ModelFileError } from '../../../base/common/errors.js';
import { JsonObject, isObject } from '../../../base/common/jsonFields.js';
import { readMerges, readTokenTable, configTokenText } from './huggingFaceVocab.js';
import { preTokenizerByName, type PreTokenizer } from './preTokenizers.js';
import type { Tokenizer } from './tokenizer.js';
import { TokenAttr } from './tokenAttributes.js';
import { Vocab, type SpecialTokenIds, type VocabFlags } from './vocab.js';
import { VocabTokenizer } from './VocabTokenizer.js';

/** tokenizer.json Split regexes -> llama.cpp pre-tokenizer names. */
const SPLIT_REGEXES: ReadonlyMap<string, string> = new Map([
  [String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`, 'llama-bpe'],
  [String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`, 'qwen2'],
  [String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`, 'tekken'],
  [String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`, 'gpt-4o'],
]);
const SUPPORTED_PRE = 'ByteLevel (GPT-2), Digits + ByteLevel (SmolLM), or a Split regex of Llama 3, Qwen2, Mistral tekken or GPT-4o followed by ByteLevel';

/**
 * A tokenizer from a parsed tokenizer.json and, if present, tokenizer_config.json. `file` names the
 * tokenizer.json in errors; the config is named "<file> (tokenizer_config.json)".
 */
export function tokenizerFromHuggingFace(tokenizerJson: unknown, tokenizerConfig: unknown | undefined, file: string): Tokenizer {
  const root = JsonObject.of(tokenizerJson, file, '');
  const config = tokenizerConfig === undefined ? undefined : JsonObject.of(tokenizerConfig, `${file} (tokenizer_config.json)`, '');
  const model = root.object('model');
  const type = model.string('type');
  if (type !== 'BPE') throw new ModelFileError(file, `"model.type" is "${type}"; supported: BPE (byte-level, or SentencePiece-style with byte_fallback)`);
  const byteFallback = model.optionalBoolean('byte_fallback') ?? false;
  const table = readTokenTable(root, model, config, byteFallback);
  const merges = readMerges(model);
  const preTokenizer = byteFallback ? undefined : detectPreTokenizer(root);
  const template = readTemplate(root);
  const special = readSpecialIds(config ?? root, config !== undefined, template, table.texts, byteFallback);
  if (byteFallback && special.unk !== undefined && table.attrs[special.unk] === TokenAttr.Control) table.attrs[special.unk] = TokenAttr.Unknown;
  const flags = readFlags(config, template, special, preTokenizer, root);
  const vocab = new Vocab({
    file,
    kind: byteFallback ? 'spm' : 'bpe',
    texts: table.texts,
    scores: byteFallback ? scoresFromMerges(table.texts, table.attrs, merges) : new Float32Array(table.texts.length),
    attrs: table.attrs,
    special,
    flags,
    merges: byteFallback ? undefined : merges,
    preTokenizer,
    preName: preTokenizer?.name,
  });
  return new VocabTokenizer(vocab);
}

/** The llama.cpp pre-tokenizer matching the pre_tokenizer section, or a ModelFileError. */
function detectPreTokenizer(root: JsonObject): PreTokenizer {
  const pre = root.object('pre_tokenizer', true);
  const steps = pre === undefined ? [] : pre.value.type === 'Sequence' ? pre.array('pretokenizers').map((step, i) => JsonObject.of(step, root.file, `${pre.at('pretokenizers')}[${i}]`)) : [pre];
  const ofType = (name: string): JsonObject[] => steps.filter((step) => step.value.type === name);
  const [byteLevel] = ofType('ByteLevel');
  const splits = ofType('Split');
  const digits = ofType('Digits');
  let name: string | undefined;
  if (byteLevel && steps.length === splits.length + 1 && splits.length === 1 && byteLevel.optionalBoolean('use_regex') === false) {
    name = SPLIT_REGEXES.get(String(splits[0].object('pattern').value.Regex));
  } else if (byteLevel && splits.length === 0 && byteLevel.optionalBoolean('use_regex') !== false) {
    if (steps.length === 1) name = 'gpt-2';
    else if (steps.length === 2 && digits.length === 1 && digits[0].optionalBoolean('individual_digits')) name = 'smollm';
  }
  if (name === undefined) {
    throw new ModelFileError(root.file, `"pre_tokenizer" is not supported (${describeSteps(steps)}); supported: ${SUPPORTED_PRE}`);
  }
  return preTokenizerByName(name)!;
}

function describeSteps(steps: readonly JsonObject[]): string {
  if (steps.length === 0) return 'none';
  return steps.map((step) => (step.value.type === 'Split' ? `Split ${JSON.stringify(step.value.pattern)}` : String(step.value.type))).join(' + ');
}

/** bos/eos/unk/pad from tokenizer_config.json (`source` when `isConfig`), else the post-processor's template; SentencePiece's usual 1/2/0 without a config. */
function readSpecialIds(source: JsonObject, isConfig: boolean, template: Template, texts: readonly string[], sentencePiece: boolean): SpecialTokenIds {
  if (!isConfig && sentencePiece) return { bos: 1, eos: 2, unk: 0 };
  const idOf = (key: string, fallback?: string): number | undefined => {
    const text = (isConfig ? configTokenText(source, key) : undefined) ?? fallback;
    if (text === undefined) return undefined;
    const id = texts.indexOf(text);
    if (id < 0) throw new ModelFileError(source.file, `"${key}" is ${JSON.stringify(text)}, which is not a token of the vocabulary`);
    return id;
  };
  return { bos: idOf('bos_token', template.first), eos: idOf('eos_token', template.last), unk: idOf('unk_token'), pad: idOf('pad_token') };
}

/** add_bos/add_eos from the config, else from the post-processor's template, else llama.cpp's defaults (when there is such a token). */
function readFlags(config: JsonObject | undefined, template: Template, special: SpecialTokenIds, pre: PreTokenizer | undefined, root: JsonObject): VocabFlags {
  const defaultBos = special.bos !== undefined && (pre === undefined || pre.addBos);
  return {
    addBos: config?.optionalBoolean('add_bos_token') ?? (template.first !== undefined || defaultBos),
    addEos: config?.optionalBoolean('add_eos_token') ?? template.last !== undefined,
    addSep: false,
    addSpacePrefix: pre === undefined && addsSpacePrefix(root),
    cleanSpaces: pre?.cleanSpaces ?? false,
    ignoreMerges: pre?.ignoreMerges ?? false,
    lowercase: false,
    stripAccents: false,
  };
}

/** Special tokens a TemplateProcessing post-processor puts first / last around a single sequence. */
interface Template {
  readonly first?: string;
  readonly last?: string;
}

function readTemplate(root: JsonObject): Template {
  const post = root.object('post_processor', true);
  if (post?.value.type !== 'TemplateProcessing') return {};
  const single = post.array('single');
  const specialId = (item: unknown): string | undefined => {
    if (!isObject(item) || !isObject(item.SpecialToken)) return undefined;
    const id = item.SpecialToken.id;
    return typeof id === 'string' ? id : undefined;
  };
  return { first: specialId(single[0]), last: single.length > 1 ? specialId(single[single.length - 1]) : undefined };
}

/** SentencePiece-style files add "▁" in front: a Prepend normalizer, or a Metaspace pre-tokenizer. */
function addsSpacePrefix(root: JsonObject): boolean {
  const text = JSON.stringify([root.value.normalizer ?? null, root.value.pre_tokenizer ?? null]);
  if (/"type":"Prepend","prepend":"\u2581"/.test(text)) return true;
  return /"type":"Metaspace"/.test(text) && !/"prepend_scheme":"never"/.test(text) && !/"add_prefix_space":false/.test(text);
}

/** Scores for SentencePiece merging: minus the rank of the first merge producing each token. */
function scoresFromMerges(texts: readonly string[], attrs: Uint16Array, merges: readonly (readonly [string, string])[]): Float32Array {
  const rankOf = new Map<string, number>();
  merges.forEach(([left, right], rank) => {
    if (!rankOf.has(left + right)) rankOf.set(left + right, rank);
  });
  const scores = new Float32Array(texts.length);
  texts.forEach((text, id) => {
    if (attrs[id] !== TokenAttr.Normal) return; // control, user-defined, byte: 0 as SentencePiece gives them
    scores[id] = -(rankOf.get(text) ?? merges.length + id);
  });
  return scores;
}
