// Tuning hybrid fusion on training queries, with a guard: a setting is accepted only if, on
// every tuning set, its per-query nDCG@10 gain over BM25 alone has a bootstrap lower confidence
// bound above zero. If no setting passes, the dense weight is 0 and hybrid equals BM25 exactly,
// which is what a weak embedder (averaged GloVe) gets: it cannot pull results below BM25's.

import { fuseLists, type FusionParams, type RankedCandidate } from '../../search/common/fusion.js';
import { BM25_ONLY_FUSION } from '../../search/common/fusionSettings.js';
import { ndcgAt, type Qrels } from './metrics.js';

/** One tuning collection: both candidate lists per judged query (keys = document ids). */
export interface TuningSet {
  readonly name: string;
  readonly lists: ReadonlyMap<string, { readonly bm25: readonly RankedCandidate[]; readonly dense: readonly RankedCandidate[] }>;
  readonly qrels: Qrels;
}

/** The values tried for each fusion setting (every combination is evaluated). */
export interface FusionGrid {
  readonly k: readonly number[];
  readonly denseWeight: readonly number[];
  readonly agreementDepth: readonly number[];
  /** [trustFloor, trustFull] pairs; [0, 0] is no trust scaling. */
  readonly trust: readonly (readonly [number, number])[];
}

/** The grid used for Pinpoint's tuned settings. */
export const DEFAULT_GRID: FusionGrid = {
  k: [5, 20, 60, 120],
  denseWeight: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5],
  agreementDepth: [10],
  trust: [
    [0, 0],
    [0.1, 0.5],
    [0.3, 0.7],
    [0.5, 0.9],
  ],
};

/** Options of {@link tuneFusion}. */
export interface TuneOptions {
  /** Bootstrap resamples; default 1000. */
  readonly resamples?: number;
  /** One-sided confidence of the lower bound; default 0.95. */
  readonly confidence?: number;
  /** Seed of the resampling; default 1. */
  readonly seed?: number;
}

/** How one setting did on one set. */
export interface SetGain {
  readonly bm25: number;
  readonly fused: number;
  /** Lower confidence bound of the mean per-query gain. */
  readonly lowerBound: number;
}

/** The chosen setting and the evidence for it. */
export interface TuningResult {
  readonly params: FusionParams;
  /** True when no setting passed the guard and the dense weight is 0. */
  readonly fellBack: boolean;
  readonly gains: Readonly<Record<string, SetGain>>;
  /** Settings tried. */
  readonly tried: number;
}

/** The BM25-only setting (hybrid == BM25). */
export const BM25_ONLY: FusionParams = BM25_ONLY_FUSION;

/** Per-query nDCG@10 of a setting, in the order of `ids`. */
function perQuery(set: TuningSet, ids: readonly string[], params: FusionParams): Float64Array {
  const out = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    const lists = set.lists.get(id) ?? { bm25: [], dense: [] };
    const ranked = fuseLists(lists.bm25, lists.dense, params).candidates.map((c) => c.key);
    out[i] = ndcgAt(ranked, set.qrels.get(id)!, 10);
  });
  return out;
}

/** A small seeded generator (mulberry32) for reproducible resampling. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lower bound of the mean of `diffs` by the percentile bootstrap. */
export function bootstrapLowerBound(diffs: Float64Array, resamples: number, confidence: number, seed: number): number {
  const n = diffs.length;
  if (n === 0) return 0;
  const next = random(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(next() * n)];
    means[r] = sum / n;
  }
  means.sort();
  return means[Math.floor((1 - confidence) * resamples)];
}

const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);

/** Every combination of the grid. */
function combinations(grid: FusionGrid): FusionParams[] {
  const out: FusionParams[] = [];
  for (const k of grid.k)
    for (const denseWeight of grid.denseWeight)
      for (const agreementDepth of grid.agreementDepth)
        for (const [trustFloor, trustFull] of grid.trust) out.push({ k, bm25Weight: 1, denseWeight, agreementDepth, trustFloor, trustFull });
  return out;
}

/**
 * Picks the fusion setting with the best mean nDCG@10 gain over BM25 (averaged over sets) among
 * those whose gain's lower confidence bound is above 0 on every set; else {@link BM25_ONLY}.
 */
export function tuneFusion(sets: readonly TuningSet[], grid: FusionGrid = DEFAULT_GRID, options: TuneOptions = {}): TuningResult {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const ids = sets.map((s) => [...s.qrels.keys()].filter((id) => [...s.qrels.get(id)!.values()].some((g) => g > 0)));
  const baselines = sets.map((s, i) => perQuery(s, ids[i], BM25_ONLY));
  let best: { params: FusionParams; gain: number; gains: Record<string, SetGain> } | undefined;
  let fallbackGains: Record<string, SetGain> = {};
  const candidates = combinations(grid);
  for (const params of candidates) {
    const gains: Record<string, SetGain> = {};
    let passes = true;
    let total = 0;
    sets.forEach((set, i) => {
      const fused = perQuery(set, ids[i], params);
      const diffs = fused.map((v, q) => v - baselines[i][q]);
      const lowerBound = bootstrapLowerBound(diffs, resamples, confidence, options.seed ?? 1);
      gains[set.name] = { bm25: mean(baselines[i]), fused: mean(fused), lowerBound };
      passes &&= lowerBound > 0;
      total += mean(fused) - mean(baselines[i]);
    });
    if (passes && (!best || total > best.gain)) best = { params, gain: total, gains };
    if (!best) fallbackGains = Object.fromEntries(sets.map((s, i) => [s.name, { bm25: mean(baselines[i]), fused: mean(baselines[i]), lowerBound: 0 }]));
  }
  if (best) return { params: best.params, fellBack: false, gains: best.gains, tried: candidates.length };
  return { params: BM25_ONLY, fellBack: true, gains: fallbackGains, tried: candidates.length };
}
