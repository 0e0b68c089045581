// What a Hugging Face model folder says about generating: the sampling defaults of
// generation_config.json and the chat template of tokenizer_config.json.

import { JsonObject } from '../../base/common/jsonFields.js';
import { ModelFileError } from '../../base/common/errors.js';
import type { GenerationDefaults } from './loadedModel.js';

/** Sampling settings of a generation_config.json; do_sample false means greedy (temperature 0). */
export function hfGenerationDefaults(json: unknown, file: string): GenerationDefaults {
  const g = JsonObject.of(json, file);
  const eos = g.get('eos_token_id');
  const eosIds: unknown[] | undefined = eos === undefined ? undefined : Array.isArray(eos) ? eos : [eos];
  if (eosIds && !eosIds.every((id) => typeof id === 'number' && Number.isInteger(id) && id >= 0)) {
    throw new ModelFileError(file, `"eos_token_id" is ${JSON.stringify(eos)}; it should be a token id or a list of them`);
  }
  const topK = g.range('top_k', 0, 2 ** 31);
  if (topK !== undefined && !Number.isInteger(topK)) throw new ModelFileError(file, `"top_k" is ${topK}; it should be an integer`);
  const maxLength = g.get('max_length') === undefined ? undefined : g.integer('max_length', 1, 2 ** 31);
  return withoutUndefined<GenerationDefaults>({
    temperature: g.get('do_sample') === false ? 0 : g.range('temperature', 0, 100),
    topK,
    topP: g.range('top_p', 0, 1),
    minP: g.range('min_p', 0, 1),
    repetitionPenalty: g.range('repetition_penalty', 0, 100),
    eosIds: eosIds as number[] | undefined,
    maxLength,
  });
}

/** The chat template of tokenizer_config.json: a string, or the "default" of a named list. */
export function hfChatTemplate(tokenizerConfig: unknown, file: string): string | undefined {
  const template = typeof tokenizerConfig === 'object' && tokenizerConfig !== null ? (tokenizerConfig as { chat_template?: unknown }).chat_template : undefined;
  if (template === undefined || template === null || typeof template === 'string') return template ?? undefined;
  if (Array.isArray(template)) {
    const named = template as Array<{ name?: unknown; template?: unknown }>;
    const chosen = named.find((t) => t?.name === 'default') ?? named[0];
    if (typeof chosen?.template === 'string') return chosen.template;
  }
  throw new ModelFileError(file, '"chat_template" should be a string or a list of {name, template}');
}

/** Drops the fields whose value is undefined. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
