// Cuts a syntax tree into segments (see segments.ts): units (functions, classes, methods) that fit
// the budget stay whole with their signature path; larger ones are split at their body's children,
// recursively, and at lines when a node has no children left. Every row of the file lands in
// exactly one segment: a cursor walks the rows, and a child that starts on a row already taken
// keeps only its later rows.

import type { LineTable } from './LineTable.js';
import type { CodeLanguage } from './languages.js';
import { splitRows } from './lineSplitter.js';
import type { ResolvedChunkOptions } from './options.js';
import type { ContextCosts, Segment } from './segments.js';
import { findBody, headerLastRow, signatureOf } from './signature.js';
import { lastRow, type SyntaxNode } from './syntax.js';

/** Deepest nesting walked before a node is split by lines (guards the stack on generated code). */
const MAX_DEPTH = 200;

/** A comment, attribute or leading keyword waiting for the node after it. */
interface Pending {
  readonly start: number;
  readonly end: number;
  readonly comment: boolean;
}

/** Segments of one parsed file. */
export class TreeSegmenter {
  private readonly out: Segment[] = [];

  constructor(
    private readonly source: string,
    private readonly table: LineTable,
    private readonly language: CodeLanguage,
    private readonly options: ResolvedChunkOptions,
    private readonly costs: ContextCosts,
  ) {}

  /** Segments covering every row of the file, in order. */
  segment(root: SyntaxNode): Segment[] {
    const last = this.table.length - 1;
    const cursor = this.walk(root.children, [], 0, last, 0);
    this.closeRows(cursor, last, []);
    return this.out;
  }

  /** Segments for `children` within rows `from` .. `to`; returns the first row not yet taken. */
  private walk(children: readonly SyntaxNode[], path: readonly string[], from: number, to: number, depth: number): number {
    let cursor = from;
    let named = false;
    const pending: Pending[] = [];
    for (const child of children) {
      const end = Math.min(lastRow(child), to);
      if (end < cursor) continue;
      const start = Math.max(child.startPosition.row, cursor);
      if (!child.isNamed && named && pending.length === 0) {
        this.push({ kind: 'closer', start: cursor, end, path, tokens: this.table.tokens(cursor, end) });
      } else if (!child.isNamed || this.language.leading.has(child.type)) {
        // Held, not taken: the next child may start on the same row.
        pending.push({ start: pending.length === 0 ? cursor : start, end, comment: child.isNamed });
        continue;
      } else {
        const unit = this.unitOf(child);
        const first = unit ? this.attach(pending, start, path) : (pending[0]?.start ?? cursor);
        if (unit) this.unit(child, unit, path, first, end, depth);
        else this.glue(child, path, first, end, depth);
        pending.length = 0;
        named = true;
      }
      cursor = end + 1;
    }
    if (pending.length === 0) return cursor;
    const end = Math.max(...pending.map((p) => p.end));
    this.push(this.glueSegment(pending[0].start, end, path));
    return end + 1;
  }

  /**
   * Pending comments that touch the unit at `start` (no blank line between) attach to it; earlier
   * ones are emitted as glue. Returns the unit's first row.
   */
  private attach(pending: readonly Pending[], start: number, path: readonly string[]): number {
    let first = pending.length;
    let next = start;
    for (let i = pending.length - 1; i >= 0; i--) {
      if (pending[i].comment && pending[i].end + 1 < next) break;
      first = i;
      next = pending[i].start;
    }
    if (first > 0) this.push(this.glueSegment(pending[0].start, pending[first - 1].end, path));
    return first < pending.length ? pending[first].start : start;
  }

  /** The unit a node is or wraps (`export class`, a decorated or templated definition), if any. */
  private unitOf(node: SyntaxNode): SyntaxNode | undefined {
    const { units, wrappers, isUnit } = this.language;
    if (units.has(node.type)) return !isUnit || isUnit(node) ? node : undefined;
    if (!wrappers.has(node.type)) return undefined;
    for (const child of node.namedChildren) {
      const unit = this.unitOf(child);
      if (unit) return unit;
    }
    return undefined;
  }

  /** A unit: whole if it fits, as one tiny glue if tiny, else header + its body's children. */
  private unit(outer: SyntaxNode, unit: SyntaxNode, path: readonly string[], start: number, end: number, depth: number): void {
    const body = findBody(unit);
    const signature = signatureOf(this.source, outer, body);
    const unitPath = this.costs.fit([...path, signature], this.options.budget / 2);
    const tokens = this.table.tokens(start, end);
    if (tokens < this.options.tinyTokens) {
      this.push({ kind: 'glue', start, end, path, unitPath, tokens });
    } else if (tokens + this.costs.of(unitPath) <= this.options.budget) {
      this.push({ kind: 'unit', start, end, path: unitPath, tokens });
    } else if (!body || depth >= MAX_DEPTH || start === end) {
      this.lines(start, end, unitPath);
    } else {
      const header = Math.min(Math.max(headerLastRow(this.table.lines, body), start), end);
      const headerTokens = this.table.tokens(start, header);
      if (headerTokens + this.costs.of(unitPath) <= this.options.budget) {
        this.push({ kind: 'header', start, end: header, path: unitPath, tokens: headerTokens });
      } else {
        this.lines(start, header, unitPath);
      }
      const cursor = this.walk(body.children, unitPath, header + 1, Math.min(lastRow(body), end), depth + 1);
      this.closeRows(cursor, end, unitPath);
    }
  }

  /** Anything else: whole if it fits, else its children, else its lines. */
  private glue(node: SyntaxNode, path: readonly string[], start: number, end: number, depth: number): void {
    const tokens = this.table.tokens(start, end);
    if (tokens + this.costs.of(path) <= this.options.budget) {
      this.push({ kind: 'glue', start, end, path, tokens });
      return;
    }
    if (node.children.length === 0 || depth >= MAX_DEPTH) {
      this.lines(start, end, path);
      return;
    }
    const own = Math.max(node.startPosition.row, start);
    if (own > start) this.push(this.glueSegment(start, own - 1, path));
    const cursor = this.walk(node.children, path, own, end, depth + 1);
    this.closeRows(cursor, end, path);
  }

  /** Rows left after a node's last child (up to `end`) close the segment before them. */
  private closeRows(cursor: number, end: number, path: readonly string[]): void {
    if (cursor <= end) this.push({ kind: 'closer', start: cursor, end, path, tokens: this.table.tokens(cursor, end) });
  }

  private lines(start: number, end: number, path: readonly string[]): void {
    const context = this.costs.of(path);
    const room = { budget: this.options.budget - context, max: this.options.maxTokens - context };
    this.out.push(...splitRows(this.table, start, end, path, room, this.options.countTokens));
  }

  private glueSegment(start: number, end: number, path: readonly string[]): Segment {
    return { kind: 'glue', start, end, path, tokens: this.table.tokens(start, end) };
  }

  /** Adds a segment; one over the budget (a long comment, a row shared with much code) is split by lines. */
  private push(segment: Segment): void {
    if (segment.kind !== 'cut' && segment.tokens + this.costs.of(segment.path) > this.options.budget) {
      this.lines(segment.start, segment.end, segment.path);
    } else {
      this.out.push(segment);
    }
  }
}
