// llama.cpp's load-time special-token fixes (llama_vocab::impl::load): EOT, EOM and FIM tokens
// found by their text, the end-of-generation set, tokens forced to control type, and the per-model
// strip attributes. Where llama.cpp takes "the first match" in hash order, this takes list order.

import { TokenAttr } from './tokenAttributes.js';
import type { SpecialTokenIds } from './vocab.js';

const EOT_NAMES = [
  '<|eot_id|>', '<|im_end|>', '<|end|>', '<end_of_turn>', '<|endoftext|>', '<|end_of_text|>', '<EOT>', '_<EOT>',
  '[EOT]', '<｜end▁of▁sentence｜>', '<end_of_utterance>',
];
const FIM_NAMES: readonly (readonly [keyof SpecialTokenIds, readonly string[]])[] = [
  ['eom', ['<|eom_id|>']],
  ['fimPre', ['<|fim_prefix|>', '<fim-prefix>', '<fim_prefix>', '<｜fim▁begin｜>', '<PRE>', '▁<PRE>', '<|code_prefix|>', '<|prefix|>']],
  ['fimSuf', ['<|fim_suffix|>', '<fim-suffix>', '<fim_suffix>', '<｜fim▁hole｜>', '<SUF>', '▁<SUF>', '<|code_suffix|>', '<|suffix|>']],
  ['fimMid', ['<|fim_middle|>', '<fim-middle>', '<fim_middle>', '<｜fim▁end｜>', '<MID>', '▁<MID>', '<|code_middle|>', '<|middle|>']],
  ['fimPad', ['<|fim_pad|>', '<fim-pad>', '<fim_pad>', '<PAD>', '[PAD]']],
  ['fimRep', ['<|fim_repo|>', '<|repo_name|>', '<fim-repo>', '<REPO>', '<reponame>']],
  ['fimSep', ['<|file_sep|>']],
];
/** Token texts llama.cpp treats as end of generation (and forces to control type). */
const EOG_NAMES = [
  '<|eot_id|>', '<|im_end|>', '<|end|>', '<|return|>', '<|call|>', '<|flush|>', '<|calls|>', '<end_of_turn>',
  '<|endoftext|>', '</s>', '<|eom_id|>', '<EOT>', '_<EOT>', '[EOT]', '[EOS]', '<|end_of_text|>', '<end_of_utterance>',
  '<eos>', '<turn|>', '<|tool_response>', '<｜end▁of▁sentence｜>', '[e~[',
];
/** gpt-oss tokens that llama.cpp always renders (user-defined, never control). */
const ALWAYS_RENDERED = ['<|channel|>', '<|message|>', '<|start|>', '<|constrain|>'];

/** Names llama.cpp keys per-model attribute fixes on. */
export interface ModelNames {
  readonly modelName?: string;
  readonly architecture?: string;
  readonly preName?: string;
}

/** The end-of-generation ids and the split-on-these token list of a vocabulary. */
export interface ResolvedSpecialTokens {
  readonly eog: Set<number>;
  readonly specialCache: number[];
}

/** Applies the fixes to `attrs` and `special` in place and returns the EOG set and special cache. */
export function resolveSpecialTokens(
  texts: readonly string[],
  ids: ReadonlyMap<string, number>,
  attrs: Uint16Array,
  special: SpecialTokenIds,
  names: ModelNames,
): ResolvedSpecialTokens {
  const forceControl = (id: number): void => {
    attrs[id] |= TokenAttr.Control;
  };
  if (special.eot === undefined) special.eot = firstPresent(ids, EOT_NAMES, forceControl);
  for (const [key, candidates] of FIM_NAMES) {
    if (special[key] === undefined) special[key] = firstPresent(ids, candidates, forceControl);
  }
  const eog = endOfGeneration(ids, attrs, special, forceControl);
  const specialCache = [];
  for (let id = 0; id < texts.length; id++) {
    if (attrs[id] & (TokenAttr.Control | TokenAttr.UserDefined | TokenAttr.Unknown)) specialCache.push(id);
  }
  specialCache.sort((a, b) => texts[b].length - texts[a].length);
  applyModelAttributes(ids, attrs, specialCache, names);
  return { eog, specialCache };
}

function firstPresent(ids: ReadonlyMap<string, number>, names: readonly string[], found: (id: number) => void): number | undefined {
  for (const name of names) {
    const id = ids.get(name);
    if (id !== undefined) {
      found(id);
      return id;
    }
  }
  return undefined;
}

function endOfGeneration(
  ids: ReadonlyMap<string, number>,
  attrs: Uint16Array,
  special: SpecialTokenIds,
  forceControl: (id: number) => void,
): Set<number> {
  const eog = new Set<number>();
  for (const id of [special.fimPad, special.fimRep, special.fimSep]) if (id !== undefined) eog.add(id);
  for (const name of EOG_NAMES) {
    const id = ids.get(name);
    if (id !== undefined) {
      eog.add(id);
      forceControl(id);
    }
  }
  for (const name of ALWAYS_RENDERED) {
    const id = ids.get(name);
    if (id !== undefined) attrs[id] = TokenAttr.UserDefined;
  }
  for (const id of [special.eos, special.eot, special.eom]) if (id !== undefined) eog.add(id);
  const has = (name: string): boolean => eog.has(ids.get(name) ?? -1);
  // gpt-oss and solar-open: "<|end|>" ends a message, not the generation.
  if (has('<|end|>') && ((has('<|return|>') && has('<|call|>')) || (has('<|calls|>') && has('<|flush|>')))) {
    const end = ids.get('<|end|>')!;
    eog.delete(end);
    attrs[end] = TokenAttr.UserDefined;
  }
  // gemma4 and paddleocr: "</s>" is an ordinary token there.
  if (has('<|tool_response>') && has('</s>')) {
    const s = ids.get('</s>')!;
    eog.delete(s);
    attrs[s] = TokenAttr.Normal;
  }
  return eog;
}

function applyModelAttributes(ids: ReadonlyMap<string, number>, attrs: Uint16Array, specialCache: readonly number[], names: ModelNames): void {
  const set = (text: string, attr: number, on: boolean): void => {
    const id = ids.get(text);
    if (id !== undefined) attrs[id] = on ? attrs[id] | attr : attrs[id] & ~attr;
  };
  const model = (names.modelName ?? '').toLowerCase();
  const pre = names.preName ?? '';
  const arch = names.architecture ?? '';
  if (/jina-v2-(de|es|code)/.test(pre) || /nomic-bert-moe|jina-bert-v3/.test(arch)) {
    set('<mask>', TokenAttr.LStrip, true);
  } else if (model.includes('phi-3') || model.includes('phi3')) {
    for (const id of specialCache) attrs[id] |= TokenAttr.RStrip;
    set('</s>', TokenAttr.RStrip, true);
    for (const text of ['<unk>', '<s>', '<|endoftext|>']) set(text, TokenAttr.RStrip, false);
  } else if (model.includes('modern-bert')) {
    set('[MASK]', TokenAttr.LStrip, true);
  }
}
