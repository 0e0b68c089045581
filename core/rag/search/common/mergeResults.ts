// Merging results that are pieces of one passage: chunks of the same file (and page) whose
// line ranges overlap or touch become one result spanning them, scored by its best piece, with
// the text rebuilt line by line so overlapping lines appear once.

import type { ScoreParts, SearchResult } from './types.js';

/** Max of two optional numbers. */
function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** Min of two optional ranks. */
function minOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function mergeScores(a: ScoreParts, b: ScoreParts): ScoreParts {
  return {
    fused: Math.max(a.fused, b.fused),
    ...defined('bm25', maxOf(a.bm25, b.bm25)),
    ...defined('dense', maxOf(a.dense, b.dense)),
    ...defined('rerank', maxOf(a.rerank, b.rerank)),
    ...defined('bm25Rank', minOf(a.bm25Rank, b.bm25Rank)),
    ...defined('denseRank', minOf(a.denseRank, b.denseRank)),
    ...defined('denseWeight', a.denseWeight ?? b.denseWeight),
  };
}

function defined<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** Text of `b` appended to `a`, without the lines the two ranges share. */
function joinText(a: SearchResult, b: SearchResult): string {
  const shared = a.endLine - b.startLine + 1;
  const bLines = b.text.split('\n');
  const rangeMatches = bLines.length === b.endLine - b.startLine + 1;
  if (shared <= 0 || !rangeMatches) return `${a.text}\n${b.text}`;
  if (shared >= bLines.length) return a.text;
  return `${a.text}\n${bLines.slice(shared).join('\n')}`;
}

/** True when `b` (starting at or after `a`) overlaps or directly follows `a` in the same place. */
function touches(a: SearchResult, b: SearchResult): boolean {
  return a.root === b.root && a.path === b.path && a.page === b.page && b.startLine <= a.endLine + 1;
}

function merge(a: SearchResult, b: SearchResult): SearchResult {
  const scores = mergeScores(a.scores, b.scores);
  return {
    ...a,
    endLine: Math.max(a.endLine, b.endLine),
    text: b.endLine <= a.endLine ? a.text : joinText(a, b),
    score: Math.max(a.score, b.score),
    scores,
    ordinals: [...new Set([...a.ordinals, ...b.ordinals])].sort((x, y) => x - y),
  };
}

/**
 * Merges overlapping or adjacent results of the same file and page. The merged list is ordered
 * by score (best piece), ties kept in input order.
 */
export function mergeAdjacent(results: readonly SearchResult[]): SearchResult[] {
  const order = new Map(results.map((r, i) => [r, i]));
  const byPlace = new Map<string, SearchResult[]>();
  for (const r of results) {
    const key = `${r.root}\u0000${r.path}\u0000${r.page ?? 0}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), r]);
  }
  const merged: { result: SearchResult; first: number }[] = [];
  for (const group of byPlace.values()) {
    group.sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
    let current = group[0];
    let first = order.get(current)!;
    for (const next of group.slice(1)) {
      if (touches(current, next)) {
        first = Math.min(first, order.get(next)!);
        current = merge(current, next);
      } else {
        merged.push({ result: current, first });
        current = next;
        first = order.get(next)!;
      }
    }
    merged.push({ result: current, first });
  }
  return merged.sort((a, b) => b.result.score - a.result.score || a.first - b.first).map((m) => m.result);
}
