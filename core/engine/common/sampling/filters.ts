// The candidate filters of the sampler chain (top-k, top-p, min-p) and the final draw, over a
// set of token ids kept in one reusable Int32Array. Semantics follow llama.cpp's samplers; the
// ranking is by logit, then by lowest id, so every kept set is deterministic. Top-k selects with
// a bounded heap (O(n log k)); top-p ranks only the tokens a weight histogram says it can keep.
// Neither sorts the whole vocabulary.

import type { Random } from './random.js';

/** The tokens still in the running; `ids[0..count)` holds them. */
export interface Candidates {
  /** Logits after penalties, indexed by token id (length = vocabulary size). */
  logits: Float32Array;
  /** Token ids; scratch with room for the whole vocabulary. */
  readonly ids: Int32Array;
  /** How many of `ids` are candidates. */
  count: number;
  /** True when `ids[0..count)` is ranked best first. */
  sorted: boolean;
}

/** Makes every token of `logits` a candidate, in id order. */
export function resetCandidates(candidates: Candidates, logits: Float32Array): void {
  candidates.logits = logits;
  for (let i = 0; i < logits.length; i++) candidates.ids[i] = i;
  candidates.count = logits.length;
  candidates.sorted = false;
}

/** True when token `a` ranks before token `b`: higher logit, then lower id. */
function ranksBefore(logits: Float32Array, a: number, b: number): boolean {
  return logits[a] > logits[b] || (logits[a] === logits[b] && a < b);
}

/** Restores the heap of `ids[0..size)` whose root is the worst-ranked token, from `i` down. */
function siftDown(logits: Float32Array, ids: Int32Array, i: number, size: number): void {
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) return;
    const right = left + 1;
    const child = right < size && ranksBefore(logits, ids[left], ids[right]) ? right : left;
    if (!ranksBefore(logits, ids[i], ids[child])) return;
    const swap = ids[i];
    ids[i] = ids[child];
    ids[child] = swap;
    i = child;
  }
}

/**
 * Moves the `m` best candidates to `ids[0..m)`, ranked best first; the others stay in
 * `ids[m..count)` (so a larger selection can follow). A heap of the m best, then heapsort.
 */
function selectTop(candidates: Candidates, m: number): void {
  const { logits, ids, count } = candidates;
  for (let i = (m >> 1) - 1; i >= 0; i--) siftDown(logits, ids, i, m);
  for (let j = m; j < count; j++) {
    if (!ranksBefore(logits, ids[j], ids[0])) continue;
    const swap = ids[0];
    ids[0] = ids[j];
    ids[j] = swap;
    siftDown(logits, ids, 0, m);
  }
  for (let end = m - 1; end > 0; end--) {
    const swap = ids[0];
    ids[0] = ids[end];
    ids[end] = swap;
    siftDown(logits, ids, 0, end);
  }
}

/** The highest logit among the candidates. */
function maxLogit(candidates: Candidates): number {
  const { logits, ids, count } = candidates;
  if (candidates.sorted) return logits[ids[0]];
  let max = -Infinity;
  for (let i = 0; i < count; i++) max = Math.max(max, logits[ids[i]]);
  return max;
}

/** Keeps the `k` best candidates (llama_sampler_top_k); k <= 0 keeps all. */
export function topK(candidates: Candidates, k: number): void {
  if (k <= 0 || k >= candidates.count) return;
  if (!candidates.sorted) selectTop(candidates, k);
  candidates.count = k;
  candidates.sorted = true;
}

/** Top-p histogram: buckets of logit distance below the max; farther ones share a tail bucket. */
const TOP_P_BUCKETS = 128;
const TOP_P_BUCKET_WIDTH = 0.25;

function topPBucket(max: number, logit: number): number {
  return Math.min(TOP_P_BUCKETS, Math.floor((max - logit) / TOP_P_BUCKET_WIDTH));
}

/**
 * Moves to `ids[0..front)` every candidate in bucket `last` or a nearer one, and returns `front`.
 * All the others rank below all of these.
 */
function moveBucketsToFront(candidates: Candidates, max: number, last: number): number {
  const { logits, ids, count } = candidates;
  let front = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    if (topPBucket(max, logits[id]) > last) continue;
    ids[i] = ids[front];
    ids[front++] = id;
  }
  return front;
}

/**
 * Keeps the smallest best-first prefix whose softmax probability reaches `p` (llama_sampler_top_p);
 * p >= 1 keeps all. Unsorted candidates are not sorted whole: a histogram of softmax weight by
 * logit bucket finds the buckets that reach p, and only their tokens are ranked (all of them only
 * if the cut falls in the far tail, or rounding leaves the prefix short).
 */
export function topP(candidates: Candidates, p: number): void {
  if (p >= 1 || candidates.count <= 1) return;
  const { logits, ids, count } = candidates;
  const max = maxLogit(candidates);
  const bucketWeights = new Float64Array(TOP_P_BUCKETS + 1); // small: one number per bucket
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const logit = logits[ids[i]];
    const weight = Math.exp(logit - max);
    bucketWeights[topPBucket(max, logit)] += weight;
    sum += weight;
  }
  const target = p * sum;
  let ranked = count;
  if (!candidates.sorted) {
    let last = 0;
    for (let cumulative = bucketWeights[0]; cumulative < target && last < TOP_P_BUCKETS; ) cumulative += bucketWeights[++last];
    ranked = last < TOP_P_BUCKETS ? moveBucketsToFront(candidates, max, last) : count;
    candidates.count = ranked;
    selectTop(candidates, ranked);
    candidates.count = count;
  }
  let cumulative = 0;
  for (let i = 0; ; i++) {
    if (i === ranked) {
      if (ranked === count) break;
      ranked = count;
      selectTop(candidates, ranked); // the first i stay the same: the ranking is total
    }
    cumulative += Math.exp(logits[ids[i]] - max);
    if (cumulative >= target) {
      candidates.count = i + 1;
      break;
    }
  }
  candidates.sorted = true;
}

/**
 * Keeps the candidates whose probability is at least `p` times the best one's, i.e. whose logit
 * is at least `max + log(p)` (llama_sampler_min_p, in float32); p <= 0 keeps all.
 */
export function minP(candidates: Candidates, p: number): void {
  if (p <= 0 || candidates.count <= 1) return;
  const { logits, ids, count } = candidates;
  const minLogit = Math.fround(maxLogit(candidates) + Math.fround(Math.log(p)));
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    if (logits[id] >= minLogit) ids[kept++] = id;
    else if (candidates.sorted) break;
  }
  candidates.count = Math.max(kept, 1);
}

/**
 * Draws one candidate with probability softmax(logit / temperature) (llama_sampler_temp then
 * llama_sampler_dist). `weights` is scratch with room for `count` numbers.
 */
export function drawCandidate(candidates: Candidates, temperature: number, random: Random, weights: Float64Array): number {
  const { logits, ids, count } = candidates;
  const max = maxLogit(candidates);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const weight = Math.exp((logits[ids[i]] - max) / temperature);
    weights[i] = weight;
    sum += weight;
  }
  const target = random.nextFloat() * sum;
  let cumulative = 0;
  for (let i = 0; i < count; i++) {
    cumulative += weights[i];
    if (target < cumulative) return ids[i];
  }
  return ids[count - 1];
}

/** The id of the highest logit, the lowest id on ties (llama_sampler_greedy). */
export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}
