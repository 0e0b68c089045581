// Documents -> chunks. Markdown, HTML and DOCX by heading sections (the heading path is the
// context), PDF by page (a chunk never spans two pages and keeps its page), notebooks by cell,
// plain text by paragraphs. A section that fits the budget is one chunk, and neighbours merge
// while they fit and share a heading (or neither has one); a larger section is split at blank
// lines (paragraphs), else between lines, into pieces of at most budget - overlapTokens, and each
// piece after the first repeats the previous piece's last whole lines, up to `overlapTokens`
// (default budget / 8), as overlap.

import type { Chunk } from '../../common/chunk.js';
import type { DocumentSection, ParsedDocument } from '../../common/document.js';
import { LineTable, splitLines } from './LineTable.js';
import { splitRows } from './lineSplitter.js';
import type { ResolvedChunkOptions } from './options.js';
import { ContextCosts, groupsToChunks, type PackedGroup } from './segments.js';

/** Sections of one page (or of the whole document when it has no pages), as one row space. */
interface Run {
  readonly page: number | undefined;
  readonly lines: string[];
  /** Source line of each row. */
  readonly lineOfRow: number[];
  /** Rows of each section and its heading path. */
  readonly sections: { start: number; end: number; path: readonly string[] }[];
}

/** Chunks of a non-code document (markdown, html, docx, pdf, notebook, text). */
export function chunkDocument(doc: ParsedDocument, root: string, options: ResolvedChunkOptions): Chunk[] {
  const costs = new ContextCosts(options.countTokens);
  const chunks: Chunk[] = [];
  for (const run of runsOf(doc)) {
    const table = new LineTable(run.lines, options.countTokens);
    const groups = groupSections(run, table, options, costs);
    const target = { root, path: doc.path, language: doc.kind, firstLine: 1, lineOfRow: run.lineOfRow, page: run.page };
    groupsToChunks(groups, table, target, chunks);
  }
  return chunks;
}

/** Splits the sections into runs by page, and gives each its heading path. */
function runsOf(doc: ParsedDocument): Run[] {
  const runs: Run[] = [];
  const headings = doc.kind === 'notebook' ? notebookHeadings(doc.sections) : undefined;
  doc.sections.forEach((section, index) => {
    let run = runs[runs.length - 1];
    if (!run || run.page !== section.page) {
      run = { page: section.page, lines: [], lineOfRow: [], sections: [] };
      runs.push(run);
    }
    const lines = splitLines(section.text);
    const start = run.lines.length;
    lines.forEach((line, i) => {
      run.lines.push(line);
      run.lineOfRow.push(Math.min(section.startLine + i, Math.max(section.endLine, section.startLine)));
    });
    const heading = section.heading ?? headings?.[index] ?? '';
    run.sections.push({ start, end: start + lines.length - 1, path: heading ? heading.split(' > ') : [] });
  });
  return runs;
}

/**
 * Heading paths of notebook cells that carry none: Markdown cells' "#" headings open a path that
 * holds for the cells after them.
 */
function notebookHeadings(sections: readonly DocumentSection[]): string[] {
  const stack: string[] = [];
  return sections.map((section) => {
    if (section.cellKind === 'markdown') {
      for (const line of splitLines(section.text)) {
        const match = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
        if (!match) continue;
        stack.length = Math.min(stack.length, match[1].length - 1);
        stack.push(match[2]);
      }
    }
    return stack.join(' > ');
  });
}

/** Merges fitting sections and splits the others into pieces with overlap. */
function groupSections(run: Run, table: LineTable, options: ResolvedChunkOptions, costs: ContextCosts): PackedGroup[] {
  const groups: PackedGroup[] = [];
  let open: PackedGroup | undefined;
  for (const section of run.sections) {
    const tokens = table.tokens(section.start, section.end);
    if (tokens + costs.of(section.path) <= options.budget) {
      const common = open ? commonPath(open.path, section.path) : [];
      const compatible = common.length > 0 || (open?.path.length === 0 && section.path.length === 0);
      if (open && compatible && open.tokens + tokens + costs.of(common) <= options.budget) {
        open = { start: open.start, end: section.end, path: common, tokens: open.tokens + tokens };
      } else {
        if (open) groups.push(open);
        open = { start: section.start, end: section.end, path: section.path, tokens };
      }
      continue;
    }
    if (open) groups.push(open);
    open = undefined;
    groups.push(...piecesWithOverlap(table, section, options, costs));
  }
  if (open) groups.push(open);
  return groups;
}

/** Pieces of one section too large for a chunk, each after the first starting with overlap. */
function piecesWithOverlap(
  table: LineTable,
  section: { start: number; end: number; path: readonly string[] },
  options: ResolvedChunkOptions,
  costs: ContextCosts,
): PackedGroup[] {
  const context = costs.of(section.path);
  const room = { budget: options.budget - context - options.overlapTokens, max: options.maxTokens - context };
  const pieces = splitRows(table, section.start, section.end, section.path, room, options.countTokens);
  return pieces.map((piece, i): PackedGroup => {
    const previous = pieces[i - 1];
    if (piece.cut || !previous || previous.cut) return piece;
    const overlap = Math.min(options.overlapTokens, options.budget - context - piece.tokens);
    let start = piece.start;
    while (start - 1 > previous.start && table.tokens(start - 1, piece.start - 1) <= overlap) start--;
    return { start, end: piece.end, path: piece.path, tokens: table.tokens(start, piece.end) };
  });
}

function commonPath(a: readonly string[], b: readonly string[]): readonly string[] {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return a.slice(0, n);
}
