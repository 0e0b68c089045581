// Hybrid fusion: weighted reciprocal rank fusion (RRF) of the BM25 list and the dense list,
//   fused(d) = wBm25 / (k + rankBm25(d)) + wDense(q) / (k + rankDense(d)),
// where the dense weight is scaled per query by how far the dense list can be trusted. Trust is
// read from the agreement of the two lists' heads: the share of the dense top-n that is also in
// BM25's top-n. Below `trustFloor` the dense side gets no weight, from `trustFull` on its full
// weight, linearly in between. A weak embedder (averaged GloVe) agrees with BM25 on about 1 in 10
// of its top results and is mostly silenced; a good one agrees far more often. How much weight an
// embedder gets at all is tuned per embedder on training queries, with a guard that falls back
// to BM25 alone (weight 0) when no setting is reliably better (core/rag/eval/common/tuneFusion.ts).

/** One candidate of one retriever, best first. */
export interface RankedCandidate {
  readonly key: string;
  readonly score: number;
}

/** Fusion settings. */
export interface FusionParams {
  /** RRF constant k (larger flattens the rank curve). */
  readonly k: number;
  readonly bm25Weight: number;
  /** Dense weight when the dense list is fully trusted. 0 makes hybrid equal to BM25. */
  readonly denseWeight: number;
  /** n: how many results of each list's head are compared. */
  readonly agreementDepth: number;
  /** Agreement (0..1) at or below which the dense weight is 0. */
  readonly trustFloor: number;
  /** Agreement from which the dense weight is full; 0 turns trust scaling off (always full). */
  readonly trustFull: number;
}

/** Share of the dense list's first `depth` keys that are among BM25's first `depth`. */
export function listAgreement(bm25: readonly RankedCandidate[], dense: readonly RankedCandidate[], depth: number): number {
  const top = dense.slice(0, depth);
  if (top.length === 0 || bm25.length === 0) return 0;
  const head = new Set(bm25.slice(0, depth).map((c) => c.key));
  return top.filter((c) => head.has(c.key)).length / top.length;
}

/** Trust (0..1) in the dense list for this query. */
export function denseTrust(bm25: readonly RankedCandidate[], dense: readonly RankedCandidate[], params: FusionParams): number {
  if (params.trustFull <= 0 || bm25.length === 0) return 1;
  const agreement = listAgreement(bm25, dense, params.agreementDepth);
  if (params.trustFull <= params.trustFloor) return agreement > params.trustFloor ? 1 : 0;
  return Math.max(0, Math.min(1, (agreement - params.trustFloor) / (params.trustFull - params.trustFloor)));
}

/** The dense weight for this query: the full weight times the trust. */
export function denseWeightFor(bm25: readonly RankedCandidate[], dense: readonly RankedCandidate[], params: FusionParams): number {
  return params.denseWeight === 0 ? 0 : params.denseWeight * denseTrust(bm25, dense, params);
}

/** A fused candidate with the parts of its score. */
export interface FusedCandidate {
  readonly key: string;
  readonly fused: number;
  readonly bm25Rank?: number;
  readonly denseRank?: number;
  readonly bm25Score?: number;
  readonly denseScore?: number;
}

/** Fuses the two lists; best first, ties broken by BM25 rank, then dense rank, then key. */
export function fuseLists(
  bm25: readonly RankedCandidate[],
  dense: readonly RankedCandidate[],
  params: FusionParams,
): { readonly candidates: FusedCandidate[]; readonly denseWeight: number } {
  const denseWeight = denseWeightFor(bm25, dense, params);
  const byKey = new Map<string, { key: string; fused: number; bm25Rank?: number; denseRank?: number; bm25Score?: number; denseScore?: number }>();
  const entry = (key: string) => {
    let e = byKey.get(key);
    if (!e) byKey.set(key, (e = { key, fused: 0 }));
    return e;
  };
  bm25.forEach((c, i) => {
    const e = entry(c.key);
    e.bm25Rank = i + 1;
    e.bm25Score = c.score;
    e.fused += params.bm25Weight / (params.k + i + 1);
  });
  dense.forEach((c, i) => {
    const e = entry(c.key);
    e.denseRank = i + 1;
    e.denseScore = c.score;
    e.fused += denseWeight / (params.k + i + 1);
  });
  const inf = Number.POSITIVE_INFINITY;
  const candidates = [...byKey.values()].sort(
    (a, b) =>
      b.fused - a.fused || (a.bm25Rank ?? inf) - (b.bm25Rank ?? inf) || (a.denseRank ?? inf) - (b.denseRank ?? inf) || (a.key < b.key ? -1 : 1),
  );
  return { candidates, denseWeight };
}
