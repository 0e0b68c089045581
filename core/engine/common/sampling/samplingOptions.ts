// The settings of the token sampler, their defaults (llama.cpp's `common_params_sampling`) and
// their validation. Every range is checked once, when a sampler is created, never per token.

import { ArgumentError } from '../../../base/common/errors.js';

/** How the next token is chosen from the logits; the chain order follows llama.cpp. */
export interface SamplingOptions {
  /** Divides the logits before the draw; 0 = greedy (argmax, lowest id on ties). Default 0.8. */
  readonly temperature: number;
  /** Keep only the K highest logits; 0 = off. Default 40. */
  readonly topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches P; 1 = off. Default 0.95. */
  readonly topP: number;
  /** Drop tokens whose probability is below minP times the top one's; 0 = off. Default 0.05. */
  readonly minP: number;
  /** Divides positive (multiplies negative) logits of recent tokens; 1 = off. Default 1. */
  readonly repetitionPenalty: number;
  /** Subtracted once from the logit of every recent token; 0 = off. Default 0. */
  readonly presencePenalty: number;
  /** Subtracted from a recent token's logit once per occurrence; 0 = off. Default 0. */
  readonly frequencyPenalty: number;
  /** How many of the last tokens the penalties look at; 0 = off, -1 = the whole history. Default 64. */
  readonly penaltyLastN: number;
  /** Seed of the PRNG, an integer in [0, 2^53); undefined = a random seed. Default undefined. */
  readonly seed?: number | undefined;
}

/** SamplingOptions with the seed decided. */
export type ResolvedSamplingOptions = { readonly [K in keyof SamplingOptions]-?: number };

/** llama.cpp's defaults (`common_params_sampling`). */
export const DEFAULT_SAMPLING_OPTIONS: SamplingOptions = Object.freeze({
  temperature: 0.8,
  topK: 40,
  topP: 0.95,
  minP: 0.05,
  repetitionPenalty: 1,
  presencePenalty: 0,
  frequencyPenalty: 0,
  penaltyLastN: 64,
  seed: undefined,
});

/** One option's allowed values: a predicate and the words that describe it. */
interface Rule {
  readonly ok: (value: number) => boolean;
  readonly allowed: string;
}

const isInt = (v: number): boolean => Number.isSafeInteger(v);
const RULES: { readonly [K in keyof SamplingOptions]-?: Rule } = {
  temperature: { ok: (v) => v >= 0, allowed: 'a number >= 0 (0 = greedy)' },
  topK: { ok: (v) => isInt(v) && v >= 0, allowed: 'an integer >= 0 (0 = off)' },
  topP: { ok: (v) => v >= 0 && v <= 1, allowed: 'a number in [0, 1] (1 = off)' },
  minP: { ok: (v) => v >= 0 && v <= 1, allowed: 'a number in [0, 1] (0 = off)' },
  repetitionPenalty: { ok: (v) => v > 0, allowed: 'a number > 0 (1 = off)' },
  presencePenalty: { ok: () => true, allowed: 'a finite number (0 = off)' },
  frequencyPenalty: { ok: () => true, allowed: 'a finite number (0 = off)' },
  penaltyLastN: { ok: (v) => isInt(v) && v >= -1, allowed: 'an integer >= -1 (0 = off, -1 = whole history)' },
  seed: { ok: (v) => isInt(v) && v >= 0, allowed: 'an integer in [0, 2^53)' },
};

/** Every option name, in declaration order. */
export const SAMPLING_OPTION_NAMES = Object.keys(RULES) as readonly (keyof SamplingOptions)[];

/** Draws a random seed from the platform's crypto source (browser and Node alike). */
function randomSeed(): number {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (words[0] & 0x1fffff) * 2 ** 32 + words[1];
}

/**
 * Fills in defaults (for missing or undefined fields), checks every range and picks a seed when
 * none is given.
 * @throws ArgumentError naming the option, its value and what is allowed; also for unknown keys.
 */
export function resolveSamplingOptions(options: Partial<SamplingOptions> = {}): ResolvedSamplingOptions {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(RULES, key)) {
      throw new ArgumentError(`Unknown sampling option: "${key}". Should be one of: ${SAMPLING_OPTION_NAMES.join(', ')}.`);
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const name of SAMPLING_OPTION_NAMES) {
    const value: unknown = options[name] ?? DEFAULT_SAMPLING_OPTIONS[name] ?? randomSeed();
    const rule = RULES[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule.ok(value)) {
      const shown = typeof value === 'string' ? `"${value}"` : String(value);
      throw new ArgumentError(`Invalid sampling option ${name}: ${shown}. Should be ${rule.allowed}.`);
    }
    resolved[name] = value;
  }
  return Object.freeze(resolved) as ResolvedSamplingOptions;
}
