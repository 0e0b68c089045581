// BPE pre-tokenizers: the regexes that cut text into words before merging, per `tokenizer.ggml.pre`
// name, as llama.cpp's llm_tokenizer_bpe and llama_vocab::impl::load map them, with the flags each
// name implies. The regexes are llama.cpp's own adapted forms; regexSplit.ts compiles and runs them.

import { toAsciiRegex, toJsRegex } from './regexSplit.js';

/** How a BPE vocabulary splits text into words, and the flags its name implies in llama.cpp. */
export interface PreTokenizer {
  readonly name: string;
  readonly regexes: readonly RegExp[];
  /** The same regexes for text that is all ASCII: plain classes instead of \p{...}, no `u` flag (faster). */
  readonly asciiRegexes: readonly RegExp[];
  /** Defaults llama.cpp sets for this pre-tokenizer (a GGUF key can still override addBos). */
  readonly cleanSpaces: boolean;
  readonly ignoreMerges: boolean;
  readonly addBos: boolean;
  readonly addSep: boolean;
  /** chatglm: the model has no BOS token. */
  readonly noBos: boolean;
}

const CONTRACTIONS = String.raw`(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])`;
const GPT2 = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`;
const LLAMA3 = String.raw`${CONTRACTIONS}|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
const QWEN2 = String.raw`${CONTRACTIONS}|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
const QWEN35 = String.raw`${CONTRACTIONS}|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
const UPPER = String.raw`((?=[\p{L}])([^a-z]))`;
const LOWER = String.raw`((?=[\p{L}])([^A-Z]))`;
const TEKKEN = String.raw`[^\r\n\p{L}\p{N}]?${UPPER}*${LOWER}+|[^\r\n\p{L}\p{N}]?${UPPER}+${LOWER}*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
const GPT4O = String.raw`[^\r\n\p{L}\p{N}]?${UPPER}*${LOWER}+${CONTRACTIONS}?|[^\r\n\p{L}\p{N}]?${UPPER}+${LOWER}*${CONTRACTIONS}?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
const SEED_CODER = String.raw`${CONTRACTIONS}|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+`;
const BAILING = String.raw`'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+`;
const PORO = String.raw` ?[^(\s|.,!?…。，、।۔،)]+`;
const DEEPSEEK3 = String.raw`[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_${'`'}{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

interface PreTokenizerType {
  readonly regexes: readonly string[];
  readonly cleanSpaces?: boolean;
  readonly ignoreMerges?: boolean;
  readonly addBos?: boolean;
  readonly addSep?: boolean;
  readonly noBos?: boolean;
}

const TYPES = {
  default: { regexes: [String.raw`[\p{P}\$\+<=>\^~\|]+`, GPT2, String.raw`\p{N}+`, '[0-9][0-9][0-9]'] },
  llama3: { regexes: [LLAMA3], ignoreMerges: true, addBos: true },
  llama3Regex: { regexes: [LLAMA3] },
  chatglm4: { regexes: [LLAMA3], noBos: true },
  gpt2: { regexes: [GPT2] },
  gpt2Clean: { regexes: [GPT2], cleanSpaces: false },
  gpt2Sep: { regexes: [GPT2], addSep: true },
  starcoder: { regexes: [String.raw`\p{N}`, GPT2] },
  starcoderNoClean: { regexes: [String.raw`\p{N}`, GPT2], cleanSpaces: false },
  falcon: { regexes: [String.raw`[\p{P}\$\+<=>\^~\|${'`'}]+`, GPT2, '[0-9][0-9][0-9]'] },
  qwen2: { regexes: [QWEN2], cleanSpaces: false },
  qwen2Clean: { regexes: [QWEN2] },
  qwen35: { regexes: [QWEN35], cleanSpaces: false },
  deepseekCoder: { regexes: ['[\r\n]', String.raw`\s?\p{L}+`, String.raw`\s?\p{P}+`, '[一-龥ࠀ-一가-퟿]+', String.raw`\p{N}`], cleanSpaces: false },
  deepseek3: { regexes: [String.raw`\p{N}{1,3}`, '[一-龥぀-ゟ゠-ヿ]+', DEEPSEEK3], cleanSpaces: false },
  poro: { regexes: [PORO], cleanSpaces: false },
  poroClean: { regexes: [PORO] },
  viking: { regexes: [PORO, String.raw`\p{N}`], cleanSpaces: false },
  tekken: { regexes: [TEKKEN], cleanSpaces: false, ignoreMerges: true, addBos: true },
  gpt4o: { regexes: [GPT4O], cleanSpaces: false },
  seedCoder: { regexes: [SEED_CODER], cleanSpaces: false },
  bailing: { regexes: [BAILING], cleanSpaces: false },
} satisfies Record<string, PreTokenizerType>;

/** `tokenizer.ggml.pre` name -> type, as llama.cpp's llama_vocab::impl::load maps them. */
const NAMES: Readonly<Record<string, keyof typeof TYPES>> = {
  'default': 'default',
  'llama3': 'llama3', 'llama-v3': 'llama3', 'llama-bpe': 'llama3', 'falcon3': 'llama3', 'falcon-h1': 'llama3',
  'pixtral': 'llama3', 'midm-2.0': 'llama3', 'lfm2': 'llama3', 'jina-v5-nano': 'llama3',
  'dbrx': 'llama3Regex', 'smaug-bpe': 'llama3Regex', 'glm4': 'chatglm4', 'chatglm-bpe': 'chatglm4',
  'gpt-2': 'gpt2', 'phi-2': 'gpt2', 'jina-es': 'gpt2', 'jina-de': 'gpt2', 'gigachat': 'gpt2', 'jina-v2-es': 'gpt2',
  'jina-v2-de': 'gpt2', 'a.x-4.0': 'gpt2', 'mellum': 'gpt2', 'modern-bert': 'gpt2', 'exaone4': 'gpt2', 'mpt': 'gpt2',
  'olmo': 'gpt2', 'jais': 'gpt2', 'trillion': 'gpt2Clean', 'granite-docling': 'gpt2Clean',
  'jina-v1-en': 'gpt2Sep', 'jina-v2-code': 'gpt2Sep', 'roberta-bpe': 'gpt2Sep',
  'starcoder': 'starcoder', 'refact': 'starcoder', 'codeshell': 'starcoder', 'exaone': 'starcoder',
  'minerva-7b': 'starcoder', 'mellum2': 'starcoder', 'smollm': 'starcoderNoClean', 'command-r': 'starcoderNoClean',
  'falcon': 'falcon',
  'qwen2': 'qwen2', 'deepseek-r1-qwen': 'qwen2', 'kormo': 'qwen2', 'f2llmv2': 'qwen2', 'hunyuan': 'qwen2',
  'solar-open': 'qwen2', 'grok-2': 'qwen2', 'megrez': 'qwen2Clean', 'stablelm2': 'qwen2Clean', 'qwen35': 'qwen35',
  'deepseek-coder': 'deepseekCoder', 'deepseek-v3': 'deepseek3', 'hunyuan-dense': 'deepseek3', 'joyai-llm': 'deepseek3',
  'poro-chat': 'poro', 'bloom': 'poroClean', 'gpt3-finnish': 'poroClean', 'viking': 'viking',
  'tekken': 'tekken', 'gpt-4o': 'gpt4o', 'llama4': 'gpt4o', 'kanana2': 'gpt4o', 'talkie': 'gpt4o', 'minimax-m2': 'gpt4o',
  'seed-coder': 'seedCoder', 'bailingmoe': 'bailing', 'bailingmoe2': 'bailing', 'llada-moe': 'bailing',
};

/** Every supported `tokenizer.ggml.pre` name. */
export const PRE_TOKENIZER_NAMES: readonly string[] = Object.keys(NAMES);

/** The pre-tokenizer llama.cpp uses for `name`, or undefined when it is not supported here. */
export function preTokenizerByName(name: string): PreTokenizer | undefined {
  const typeName = Object.hasOwn(NAMES, name) ? NAMES[name] : undefined;
  if (typeName === undefined) return undefined;
  const type: PreTokenizerType = TYPES[typeName];
  return {
    name,
    regexes: type.regexes.map(toJsRegex),
    asciiRegexes: type.regexes.map(toAsciiRegex),
    cleanSpaces: type.cleanSpaces ?? true,
    ignoreMerges: type.ignoreMerges ?? false,
    addBos: type.addBos ?? false,
    addSep: type.addSep ?? false,
    noBos: type.noBos ?? false,
  };
}
