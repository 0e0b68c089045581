// The token sampler: llama.cpp's default chain, penalties -> top-k -> top-p -> min-p ->
// temperature -> draw, with a seeded portable PRNG. Temperature 0 is greedy (argmax of the
// penalized logits, lowest id on ties). Scratch buffers are allocated once per vocabulary size
// and reused for every token; the caller's logits are never modified.

import { ArgumentError, BugIndicatingError } from '../../../base/common/errors.js';
import { argmax, drawCandidate, minP, resetCandidates, topK, topP, type Candidates } from './filters.js';
import { applyPenalties, penaltiesAreOff } from './penalties.js';
import { createRandom } from './random.js';
import { resolveSamplingOptions, type ResolvedSamplingOptions, type SamplingOptions } from './samplingOptions.js';

export { DEFAULT_SAMPLING_OPTIONS, type ResolvedSamplingOptions, type SamplingOptions } from './samplingOptions.js';

/** Chooses the next token from a step's logits. */
export interface Sampler {
  /** The options in force, with defaults filled in and the seed decided (print it to reproduce a run). */
  readonly options: ResolvedSamplingOptions;
  /**
   * The next token id.
   * @param logits one logit per vocabulary entry; not modified.
   * @param history every token so far, prompt included; the penalties read its last `penaltyLastN`.
   * @throws ArgumentError for empty logits or a history token outside the vocabulary.
   */
  sample(logits: Float32Array, history: readonly number[]): number;
  /**
   * How many of the best logits a step's choice depends on: 1 when greedy, top-k when it is on;
   * undefined when it reads the whole row (penalties change logits before the ranking, or no
   * top-k). The other logits may then be -Infinity without changing any choice.
   */
  readonly candidatesNeeded: number | undefined;
  /** Releases the scratch buffers; the sampler cannot be used afterwards. */
  dispose(): void;
}

/** Buffers sized to the vocabulary, reused across tokens. */
interface Scratch {
  /** The logits after penalties. */
  readonly logits: Float32Array;
  /** Occurrences of each token in the penalty window; all zero between calls. */
  readonly counts: Int32Array;
  /** Softmax weights of the candidates at the draw. */
  readonly weights: Float64Array;
  readonly candidates: Candidates;
}

function createScratch(vocabSize: number): Scratch {
  const logits = new Float32Array(vocabSize);
  return {
    logits,
    counts: new Int32Array(vocabSize),
    weights: new Float64Array(vocabSize),
    candidates: { logits, ids: new Int32Array(vocabSize), count: 0, sorted: false },
  };
}

/**
 * A sampler with the given options (missing ones take DEFAULT_SAMPLING_OPTIONS).
 * @throws ArgumentError naming any option out of range.
 */
export function createSampler(options: Partial<SamplingOptions> = {}): Sampler {
  const resolved = resolveSamplingOptions(options);
  const random = createRandom(resolved.seed);
  let scratch: Scratch | undefined;
  let disposed = false;

  function scratchFor(vocabSize: number): Scratch {
    if (disposed) throw new BugIndicatingError('Sampler used after dispose()');
    if (vocabSize === 0) throw new ArgumentError('Cannot sample from empty logits. Should have one logit per token.');
    if (scratch?.logits.length !== vocabSize) scratch = createScratch(vocabSize);
    return scratch;
  }

  const needed = !penaltiesAreOff(resolved) ? undefined : resolved.temperature <= 0 ? 1 : resolved.topK > 0 ? resolved.topK : undefined;
  return {
    options: resolved,
    candidatesNeeded: needed,
    sample(logits, history) {
      const { logits: penalized, counts, weights, candidates } = scratchFor(logits.length);
      penalized.set(logits);
      applyPenalties(penalized, history, resolved, counts);
      if (resolved.temperature <= 0) return argmax(penalized);
      resetCandidates(candidates, penalized);
      topK(candidates, resolved.topK);
      topP(candidates, resolved.topP);
      minP(candidates, resolved.minP);
      return drawCandidate(candidates, resolved.temperature, random, weights);
    },
    dispose() {
      disposed = true;
      scratch = undefined;
    },
  };
}
