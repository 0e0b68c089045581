// llama.cpp as the oracle: completion tokenization, greedy generation from exact token ids and
// full-vocabulary logits at every prompt position, all through node-llama-cpp's public API
// (LlamaModel.tokenize / detokenize and LlamaContextSequence.controlledEvaluate).

import type { ControlledEvaluateItem, GenerateNextOptions, LlamaContextSequence, LlamaModel } from './nodeLlamaCpp.js';

/** A prompt tokenized the way llama.cpp's completion tools do it. */
export interface CompletionPrompt {
  /** common_tokenize(ctx, text, add_special = true, parse_special = true). */
  ids: number[];
  /** True when the vocab asks for BOS (llama_vocab_get_add_bos) and ids[0] is it. */
  bosAdded: boolean;
  /** True when the vocab asks for EOS at the end (llama_vocab_get_add_eos). */
  eosAdded: boolean;
}

/**
 * Tokenizes `text` for completion: llama_tokenize with add_special = true and parse_special =
 * true, which is BOS (when the vocab's add_bos says so) + the text with special tokens parsed +
 * EOS (when add_eos says so). The empty text gives BOS alone, as in llama.cpp.
 */
export function tokenizeForCompletion(model: LlamaModel, text: string): CompletionPrompt {
  const { bos, eos, shouldPrependBosToken, shouldAppendEosToken } = model.tokens;
  const bosAdded = shouldPrependBosToken && bos !== null;
  const eosAdded = shouldAppendEosToken && eos !== null;
  const ids = [...(bosAdded ? [bos] : []), ...model.tokenize(text, true), ...(eosAdded ? [eos] : [])];
  return { ids, bosAdded, eosAdded };
}

/** The result of `generateGreedy`. */
export interface GreedyResult {
  /** The generated ids, in order; generation goes on past EOS/EOT (llama.cpp would stop there). */
  tokens: number[];
  /** Per step: top-1 minus top-2 logit, a measure of how close that argmax was to a tie. */
  margins: number[];
}

/** Greedy (temperature 0, no penalties) sampling of the next token plus its two top logits. */
const GREEDY_NEXT: GenerateNextOptions = { token: true, logits: { filter: { tokens: [], includeTop: 2 } }, options: { temperature: 0 } };

/** Top-1 minus top-2 of a logits map sorted by node-llama-cpp from the highest. */
function topMargin(logits: Map<number, number> | undefined): number {
  const [first, second] = [...(logits?.values() ?? [])];
  return first !== undefined && second !== undefined ? first - second : Number.POSITIVE_INFINITY;
}

/**
 * Evaluates `promptIds` as one batch from an empty sequence, then generates `count` tokens one
 * decode at a time with llama.cpp's greedy sampler (llama_sampler_init_greedy: argmax, lowest id
 * on ties; node-llama-cpp adds no penalty when none is given). The sequence is cleared first.
 */
export async function generateGreedy(sequence: LlamaContextSequence, promptIds: number[], count: number): Promise<GreedyResult> {
  if (promptIds.length + count > sequence.contextSize) {
    // node-llama-cpp would shift the context silently and the tokens would stop being plain greedy.
    throw new Error(`${promptIds.length} prompt + ${count} generated tokens exceed the context of ${sequence.contextSize}`);
  }
  await sequence.clearHistory();
  const tokens: number[] = [];
  const margins: number[] = [];
  let input: number[] = promptIds;
  while (tokens.length < count) {
    const items = input.map((id, i): ControlledEvaluateItem => (i === input.length - 1 ? [id, { generateNext: GREEDY_NEXT }] : id));
    const outputs = await sequence.controlledEvaluate(items);
    const next = outputs[input.length - 1]?.next;
    if (next?.token === undefined || next.token === null) throw new Error(`llama.cpp sampled no token at step ${tokens.length}`);
    tokens.push(next.token);
    margins.push(topMargin(next.logits));
    input = [next.token];
  }
  return { tokens, margins };
}

/**
 * Full-vocabulary raw logits (before any sampler: temperature 0 selects llama.cpp's greedy
 * sampler, which does not change them) after each of the first `positions` ids of `promptIds`,
 * from one batch evaluation of those ids in a cleared sequence (llama_batch with logits = true
 * at every index). Returns one Float32Array of n_vocab per position.
 */
export async function logitsAtPositions(sequence: LlamaContextSequence, promptIds: number[], positions: number): Promise<Float32Array[]> {
  if (promptIds.length < positions) throw new Error(`need ${positions} prompt ids for logits, got ${promptIds.length}`);
  await sequence.clearHistory();
  const generateNext: GenerateNextOptions = { logits: true, options: { temperature: 0 } };
  const outputs = await sequence.controlledEvaluate(promptIds.slice(0, positions).map((id): ControlledEvaluateItem => [id, { generateNext }]));
  return outputs.map((output, position) => {
    const logits = output?.next.logits;
    if (!logits) throw new Error(`llama.cpp returned no logits at position ${position}`);
    const row = new Float32Array(logits.size).fill(Number.NaN);
    for (const [token, value] of logits) row[token] = value;
    if (row.some(Number.isNaN)) throw new Error(`logits at position ${position} do not cover token ids 0..${logits.size - 1}`);
    return row;
  });
}
