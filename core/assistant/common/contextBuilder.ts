// The context builder: fills a token budget with what retrieval found, best result first. The
// first time a file comes up it goes in whole if the whole file fits (long context is the point);
// otherwise each of its results goes in with its neighbouring chunks, or alone if only that fits,
// or is left out and reported. Pieces of one file that touch are merged (each line once), and the
// pieces are ordered by file (best file first) and position. Every token is counted as the prompt
// will show it: the source block of answerPrompt.ts, separator included.

import { throwIfAborted } from '../../base/common/errors.js';
import type { SearchResult } from '../../rag/search/common/types.js';
import { SOURCE_SEPARATOR, sourceBlock, type Place } from './answerPrompt.js';
import { consecutiveRuns, joinChunks, type PassageChunk } from './joinChunks.js';

/** One passage that goes into the prompt as a numbered source. */
export interface ContextPiece extends Place {
  readonly root: string;
  readonly language: string;
  readonly text: string;
  /** True when the piece belongs to a file included whole (a paged file is one piece per page). */
  readonly wholeFile: boolean;
  /** Best retrieval score among the results inside the piece (else the file's best). */
  readonly score: number;
  /** Tokens of its source block in the prompt, separator included. */
  readonly tokens: number;
  /**
   * When the file did not fit whole: at least this many tokens for the whole file (counting stops
   * once it is past the room left, so a huge file is never tokenized to the end).
   */
  readonly wholeFileMinTokens?: number;
}

/** A retrieved passage that is not in the prompt, and why. */
export interface OmittedPassage extends Place {
  readonly root: string;
  /** Tokens it would have taken (its chunks alone, without neighbours). */
  readonly tokens: number;
  readonly score: number;
  /** `budget`: it did not fit; `stale`: the index changed between the search and the read. */
  readonly reason: 'budget' | 'stale';
}

/** What the builder chose. */
export interface BuiltContext {
  /** In prompt order: by file (best first), then page and line. */
  readonly pieces: readonly ContextPiece[];
  /** Sum of the pieces' tokens. */
  readonly tokens: number;
  /** Results left out, best first. */
  readonly omitted: readonly OmittedPassage[];
}

/** Options of {@link buildContext}. */
export interface ContextBuildOptions {
  /** Tokens the sources may take. */
  readonly budget: number;
  /** The chat model's token count (ChatModel.countTokens). */
  readonly countTokens: (text: string, limit?: number) => number;
  /** Chunks added on each side of a result when its file does not fit whole. Default 1. */
  readonly neighbours?: number;
  /** Try each file whole first. Default true. */
  readonly wholeFiles?: boolean;
  readonly signal?: AbortSignal;
}

/** The number sources are measured with (their final numbers are given after ordering). */
const MEASURE_NUMBER = 99;

/** One file's chunks and what is chosen of it. */
class FilePlan {
  readonly byOrdinal: Map<number, PassageChunk>;
  whole = false;
  triedWhole = false;
  selected = new Set<number>();
  cost = 0;
  wholeTokens: number | undefined;
  private readonly counts = new Map<string, number>();

  constructor(
    readonly chunks: readonly PassageChunk[],
    readonly rank: number,
    readonly hits: SearchResult[],
    private readonly countTokens: ContextBuildOptions['countTokens'],
  ) {
    this.byOrdinal = new Map(chunks.map((c) => [c.ordinal, c]));
  }

  /** Pieces (runs of chunks) of a set of ordinals. */
  runs(ordinals: ReadonlySet<number>): PassageChunk[][] {
    return consecutiveRuns(this.chunks.filter((c) => ordinals.has(c.ordinal)));
  }

  /** The source block of a run, measured with a placeholder number. */
  block(run: readonly PassageChunk[], wholeFile: boolean): { text: string; block: string } {
    const text = joinChunks(run);
    const first = run[0];
    const place = { path: first.path, startLine: first.startLine, endLine: Math.max(...run.map((c) => c.endLine)), page: first.page };
    return { text, block: sourceBlock(MEASURE_NUMBER, { ...place, language: first.language, text, wholeFile }) + SOURCE_SEPARATOR };
  }

  /** Tokens of the pieces of `ordinals`; above `limit` counting may stop early with some larger number. */
  measure(ordinals: ReadonlySet<number>, wholeFile: boolean, limit = Infinity): number {
    let total = 0;
    for (const run of this.runs(ordinals)) {
      const key = `${run[0].ordinal}-${run[run.length - 1].ordinal}-${wholeFile}`;
      let tokens = this.counts.get(key);
      if (tokens === undefined) {
        const left = limit - total;
        tokens = this.countTokens(this.block(run, wholeFile).block, Number.isFinite(left) ? Math.max(0, left) : undefined);
        if (tokens <= left) this.counts.set(key, tokens);
      }
      total += tokens;
      if (total > limit) return total;
    }
    return total;
  }
}

const fileKey = (r: { root: string; path: string }): string => `${r.root}\u0000${r.path}`;

/** The ordinals of a result with `n` neighbours on each side (those the file has). */
function widen(plan: FilePlan, ordinals: readonly number[], n: number): Set<number> {
  const out = new Set<number>();
  for (const o of ordinals) for (let d = -n; d <= n; d++) if (plan.byOrdinal.has(o + d)) out.add(o + d);
  return out;
}

/** Chooses what of `results` goes into a budget of tokens; `chunks` are all chunks of their files. */
export function buildContext(results: readonly SearchResult[], chunks: readonly PassageChunk[], options: ContextBuildOptions): BuiltContext {
  const neighbours = options.neighbours ?? 1;
  const plans = new Map<string, FilePlan>();
  const byFile = new Map<string, PassageChunk[]>();
  for (const c of chunks) {
    const list = byFile.get(fileKey(c));
    if (list) list.push(c);
    else byFile.set(fileKey(c), [c]);
  }
  for (const [rank, r] of results.entries()) {
    const key = fileKey(r);
    const sorted = [...(byFile.get(key) ?? [])].sort((a, b) => a.ordinal - b.ordinal);
    if (!plans.has(key)) plans.set(key, new FilePlan(sorted, rank, [], options.countTokens));
    plans.get(key)!.hits.push(r);
  }
  let remaining = options.budget;
  const omitted: OmittedPassage[] = [];
  const commit = (plan: FilePlan, ordinals: Set<number>, cost: number): void => {
    remaining -= cost - plan.cost;
    plan.selected = ordinals;
    plan.cost = cost;
  };
  for (const r of results) {
    throwIfAborted(options.signal, 'building the context');
    const plan = plans.get(fileKey(r))!;
    if (plan.whole) continue;
    const hit = r.ordinals.filter((o) => plan.byOrdinal.has(o));
    const place = { root: r.root, path: r.path, startLine: r.startLine, endLine: r.endLine, ...(r.page !== undefined ? { page: r.page } : {}), score: r.score };
    if (hit.length === 0) {
      omitted.push({ ...place, tokens: 0, reason: 'stale' });
      continue;
    }
    if ((options.wholeFiles ?? true) && !plan.triedWhole) {
      plan.triedWhole = true;
      const all = new Set(plan.byOrdinal.keys());
      const cost = plan.measure(all, true, remaining + plan.cost);
      if (cost - plan.cost <= remaining) {
        commit(plan, all, cost);
        plan.whole = true;
        continue;
      }
      plan.wholeTokens = cost;
    }
    if (hit.every((o) => plan.selected.has(o))) continue;
    let placed = false;
    for (const want of [widen(plan, hit, neighbours), new Set(hit)]) {
      const next = new Set([...plan.selected, ...want]);
      const cost = plan.measure(next, false, remaining + plan.cost);
      if (cost - plan.cost <= remaining) {
        commit(plan, next, cost);
        placed = true;
        break;
      }
    }
    if (!placed) omitted.push({ ...place, tokens: plan.measure(new Set(hit), false), reason: 'budget' });
  }
  const pieces = [...plans.values()].sort((a, b) => a.rank - b.rank).flatMap((plan) => piecesOf(plan));
  return { pieces, tokens: options.budget - remaining, omitted };
}

/** The chosen pieces of one file, by page and line. */
function piecesOf(plan: FilePlan): ContextPiece[] {
  const best = Math.max(...plan.hits.map((h) => h.score));
  return plan.runs(plan.selected).map((run) => {
    const { text } = plan.block(run, plan.whole);
    const first = run[0];
    const endLine = Math.max(...run.map((c) => c.endLine));
    const inside = plan.hits.filter((h) => h.ordinals.some((o) => o >= first.ordinal && o <= run[run.length - 1].ordinal));
    return {
      root: first.root, path: first.path, language: first.language, startLine: first.startLine, endLine,
      ...(first.page !== undefined ? { page: first.page } : {}),
      text, wholeFile: plan.whole,
      score: inside.length > 0 ? Math.max(...inside.map((h) => h.score)) : best,
      tokens: plan.measure(new Set(run.map((c) => c.ordinal)), plan.whole),
      ...(plan.whole || plan.wholeTokens === undefined ? {} : { wholeFileMinTokens: plan.wholeTokens }),
    };
  }).sort((a, b) => (a.page ?? 0) - (b.page ?? 0) || a.startLine - b.startLine);
}
