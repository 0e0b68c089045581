// Repetition, frequency and presence penalties over the last N tokens, as llama.cpp's
// llama_sampler_penalties: repeat divides a positive logit and multiplies a non-positive one,
// then `count * frequency + presence` is subtracted. Float32 rounding follows llama.cpp's floats.

import { ArgumentError } from '../../../base/common/errors.js';

/** The penalty settings, as in SamplingOptions. */
export interface PenaltyOptions {
  readonly repetitionPenalty: number;
  readonly frequencyPenalty: number;
  readonly presencePenalty: number;
  /** 0 = off, -1 = the whole history. */
  readonly penaltyLastN: number;
}

/** True when the options change no logit, so the history need not be read. */
export function penaltiesAreOff(options: PenaltyOptions): boolean {
  const { repetitionPenalty, frequencyPenalty, presencePenalty, penaltyLastN } = options;
  return penaltyLastN === 0 || (repetitionPenalty === 1 && frequencyPenalty === 0 && presencePenalty === 0);
}

/** Checks that the tokens of the window are ids of this vocabulary. */
function checkWindow(history: readonly number[], start: number, vocabSize: number): void {
  for (let i = start; i < history.length; i++) {
    const id = history[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new ArgumentError(`Invalid token id in history[${i}]: ${id}. Should be an integer in [0, ${vocabSize}).`);
    }
  }
}

/**
 * Penalizes, in place, the logits of the tokens among the last `penaltyLastN` of `history`.
 * `counts` is scratch of at least `logits.length` zeros, and is all zeros again on return.
 * @throws ArgumentError when a token of the window is not an id of the vocabulary.
 */
export function applyPenalties(
  logits: Float32Array,
  history: readonly number[],
  options: PenaltyOptions,
  counts: Int32Array,
): void {
  if (penaltiesAreOff(options)) return;
  const start = options.penaltyLastN < 0 ? 0 : Math.max(0, history.length - options.penaltyLastN);
  checkWindow(history, start, logits.length);
  for (let i = start; i < history.length; i++) counts[history[i]]++;
  const repeat = Math.fround(options.repetitionPenalty);
  const frequency = Math.fround(options.frequencyPenalty);
  const presence = Math.fround(options.presencePenalty);
  for (let i = start; i < history.length; i++) {
    const id = history[i];
    const count = counts[id];
    if (count === 0) continue; // already penalized: each token once, by its count
    counts[id] = 0;
    const logit = logits[id];
    const repeated = Math.fround(logit <= 0 ? logit * repeat : logit / repeat);
    logits[id] = repeated - Math.fround(Math.fround(count * frequency) + presence);
  }
}
