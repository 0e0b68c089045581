// Segments: the pieces a chunker cuts a text into (a whole function, a split function's header,
// statements, a comment, a closing brace), and the packing that merges them into chunks up to
// the budget. Packing rules, in order:
//   - a closer (a brace, an `end`) always joins the chunk before it, within the hard maximum;
//   - nothing joins a chunk past the budget (text plus its context);
//   - tiny segments join a chunk made only of tiny segments;
//   - a split unit's header starts a chunk, and its first member joins it (a nested header too,
//     so "namespace N {" + "class C {" + the first method make one chunk, with the method's path);
//   - glue of one body (statements, fields) joins glue of the same path.
// A chunk's context is the longest common prefix of its segments' paths, or a lone segment's
// own unit path.

import type { Chunk } from '../../common/chunk.js';
import type { LineTable } from './LineTable.js';
import type { ResolvedChunkOptions } from './options.js';

/** What a segment is, for the packing rules above. */
export type SegmentKind = 'unit' | 'header' | 'glue' | 'closer' | 'cut';

/** A run of rows (0-based, inclusive) with its place in the syntax or heading tree. */
export interface Segment {
  readonly kind: SegmentKind;
  readonly start: number;
  readonly end: number;
  /** Signatures (or headings) that enclose the segment, outermost first. */
  readonly path: readonly string[];
  /** For a tiny unit packed as glue: its own path, used when it ends up alone in a chunk. */
  readonly unitPath?: readonly string[];
  readonly tokens: number;
  /** For kind "cut": the piece of the (single, over-long) row, as [from, to) in UTF-16 units. */
  readonly cut?: readonly [number, number];
}

/** Segments merged into one chunk. */
export interface PackedGroup {
  readonly start: number;
  readonly end: number;
  readonly path: readonly string[];
  readonly tokens: number;
  readonly cut?: readonly [number, number];
}

/** " > " joins the elements of a context path. */
export const CONTEXT_SEPARATOR = ' > ';

/** Token costs of context paths, each distinct path counted once. */
export class ContextCosts {
  private readonly cache = new Map<string, number>();
  constructor(private readonly countTokens: (text: string) => number) {}

  /** Tokens of the context string of `path` (0 for no context). */
  of(path: readonly string[]): number {
    if (path.length === 0) return 0;
    const text = path.join(CONTEXT_SEPARATOR);
    let cost = this.cache.get(text);
    if (cost === undefined) {
      cost = this.countTokens(text) + this.countTokens('\n');
      this.cache.set(text, cost);
    }
    return cost;
  }

  /** `path`, shortened from the outside so that its context costs at most `limit` tokens. */
  fit(path: readonly string[], limit: number): readonly string[] {
    let fitted = path;
    while (fitted.length > 1 && this.of(fitted) > limit) fitted = fitted.slice(1);
    return this.of(fitted) > limit ? [] : fitted;
  }
}

/** Length of the common prefix of two paths. */
function commonLength(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

interface OpenGroup {
  start: number;
  end: number;
  path: readonly string[];
  tokens: number;
  count: number;
  allTiny: boolean;
  headerOnly: boolean;
  hasUnit: boolean;
  lone?: readonly string[];
}

/** Merges consecutive segments into groups by the rules in the header of this file. */
export function packSegments(segments: readonly Segment[], options: ResolvedChunkOptions, costs: ContextCosts): PackedGroup[] {
  const groups: PackedGroup[] = [];
  let open: OpenGroup | undefined;
  const close = (): void => {
    if (!open) return;
    const path = open.count === 1 && open.lone ? open.lone : open.path;
    groups.push({ start: open.start, end: open.end, path, tokens: open.tokens });
    open = undefined;
  };
  for (const seg of segments) {
    if (seg.kind === 'cut') {
      close();
      groups.push({ start: seg.start, end: seg.end, path: seg.path, tokens: seg.tokens, cut: seg.cut });
      continue;
    }
    if (open && joins(open, seg, options, costs)) {
      const intoHeader = open.headerOnly && seg.kind !== 'closer';
      open.end = seg.end;
      open.tokens += seg.tokens;
      if (intoHeader) open.path = seg.kind === 'glue' ? open.path : seg.path;
      else if (seg.kind !== 'closer') open.path = open.path.slice(0, commonLength(open.path, seg.path));
      open.count += seg.kind === 'closer' ? 0 : 1;
      open.allTiny &&= seg.tokens < options.tinyTokens;
      open.headerOnly = intoHeader && seg.kind === 'header';
      open.hasUnit ||= seg.kind === 'unit';
      continue;
    }
    close();
    open = {
      start: seg.start,
      end: seg.end,
      path: seg.path,
      tokens: seg.tokens,
      count: 1,
      allTiny: seg.tokens < options.tinyTokens && seg.kind !== 'unit',
      headerOnly: seg.kind === 'header',
      hasUnit: seg.kind === 'unit',
      lone: seg.unitPath,
    };
  }
  close();
  return groups;
}

/** Whether `seg` may join the open group. */
function joins(open: OpenGroup, seg: Segment, options: ResolvedChunkOptions, costs: ContextCosts): boolean {
  if (seg.kind === 'closer') return open.tokens + seg.tokens + costs.of(open.path) <= options.maxTokens;
  const common = commonLength(open.path, seg.path);
  if (open.headerOnly && common === open.path.length) {
    return open.tokens + seg.tokens + costs.of(seg.kind === 'glue' ? open.path : seg.path) <= options.budget;
  }
  if (seg.kind === 'header') return false;
  if (open.tokens + seg.tokens + costs.of(open.path.slice(0, common)) > options.budget) return false;
  if (open.allTiny && seg.tokens < options.tinyTokens && seg.kind !== 'unit') return true;
  const samePath = common === open.path.length && common === seg.path.length;
  return samePath && !open.hasUnit && seg.kind !== 'unit';
}

/** Where the chunks of one file go: the fields every chunk of it shares. */
export interface ChunkTarget {
  readonly root: string;
  readonly path: string;
  readonly language: string;
  /** Source line of row 0 of the table, 1-based. */
  readonly firstLine: number;
  /** Source line of each row, when rows are not consecutive lines (overrides firstLine). */
  readonly lineOfRow?: ArrayLike<number>;
  readonly page?: number;
}

/**
 * Turns packed groups into chunks: blank rows at either end are dropped (so a chunk starts and
 * ends on a line with text), the text is the rows as in the source.
 */
export function groupsToChunks(groups: readonly PackedGroup[], table: LineTable, target: ChunkTarget, out: Chunk[]): void {
  for (const group of groups) {
    const start = group.cut ? group.start : table.firstContent(group.start, group.end);
    if (start < 0) continue;
    const end = group.cut ? group.end : table.lastContent(start, group.end);
    const text = group.cut ? table.lines[start].slice(group.cut[0], group.cut[1]) : table.text(start, end);
    out.push({
      root: target.root,
      path: target.path,
      language: target.language,
      startLine: target.lineOfRow ? target.lineOfRow[start] : target.firstLine + start,
      endLine: target.lineOfRow ? target.lineOfRow[end] : target.firstLine + end,
      ...(target.page === undefined ? {} : { page: target.page }),
      text,
      context: group.path.join(CONTEXT_SEPARATOR),
      ordinal: out.length,
    });
  }
}
