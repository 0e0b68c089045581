// Ranking metrics as BEIR reports them through pytrec_eval (trec_eval's measures): nDCG@k with
// linear gains, Recall@k and MRR@k, per query and averaged over the queries that have qrels.

/** Relevance judgements: query id -> document id -> grade (> 0 means relevant). */
export type Qrels = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** One retrieved document with the retriever's score. */
export interface RankedDocument {
  readonly id: string;
  readonly score: number;
}

/** The metrics of one query or their mean over queries. */
export interface RetrievalMetrics {
  readonly 'ndcg@10': number;
  readonly 'recall@100': number;
  readonly 'mrr@10': number;
}

/**
 * Orders a run as trec_eval does: by score descending, ties by document id descending
 * (trec_eval compares docnos with strcmp). Retrievers' own ranks are kept only through scores.
 */
export function trecOrder(run: readonly RankedDocument[]): RankedDocument[] {
  return [...run].sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * nDCG@k with gain = grade (trec_eval `ndcg_cut`, as in BEIR) and discount 1 / log2(rank + 1).
 * The ideal ranking uses every judged document with grade > 0; a query with none scores 0.
 */
export function ndcgAt(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    const grade = judged.get(ranked[i]) ?? 0;
    if (grade > 0) dcg += grade / Math.log2(i + 2);
  }
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i] / Math.log2(i + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

/** Recall@k: relevant documents (grade > 0) in the first k over all relevant documents. */
export function recallAt(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  let relevant = 0;
  for (const grade of judged.values()) if (grade > 0) relevant++;
  if (relevant === 0) return 0;
  let found = 0;
  for (const id of ranked.slice(0, k)) if ((judged.get(id) ?? 0) > 0) found++;
  return found / relevant;
}

/** MRR@k: 1 / rank of the first relevant document within the first k, else 0. */
export function mrrAt(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  for (let i = 0; i < Math.min(k, ranked.length); i++) if ((judged.get(ranked[i]) ?? 0) > 0) return 1 / (i + 1);
  return 0;
}

/** The three reported metrics of one ranked list (already in rank order, duplicates removed). */
export function queryMetrics(ranked: readonly string[], judged: ReadonlyMap<string, number>): RetrievalMetrics {
  return { 'ndcg@10': ndcgAt(ranked, judged, 10), 'recall@100': recallAt(ranked, judged, 100), 'mrr@10': mrrAt(ranked, judged, 10) };
}

/**
 * Mean metrics over every query in `qrels` that has a relevant document. A query missing from
 * `runs` (nothing retrieved) counts as 0, as trec_eval's `-c`; pytrec_eval without it would skip
 * such a query, which only raises its mean.
 */
export function meanMetrics(runs: ReadonlyMap<string, readonly string[]>, qrels: Qrels): RetrievalMetrics & { queries: number } {
  let ndcg = 0;
  let recall = 0;
  let mrr = 0;
  let queries = 0;
  for (const [queryId, judged] of qrels) {
    if (![...judged.values()].some((g) => g > 0)) continue;
    const m = queryMetrics(dedupe(runs.get(queryId) ?? []), judged);
    ndcg += m['ndcg@10'];
    recall += m['recall@100'];
    mrr += m['mrr@10'];
    queries++;
  }
  const mean = (x: number) => (queries > 0 ? x / queries : 0);
  return { 'ndcg@10': mean(ndcg), 'recall@100': mean(recall), 'mrr@10': mean(mrr), queries };
}

/** Keeps the first occurrence of each id (a run may list a document once only). */
function dedupe(ranked: readonly string[]): string[] {
  const seen = new Set<string>();
  return ranked.filter((id) => !seen.has(id) && (seen.add(id), true));
}
