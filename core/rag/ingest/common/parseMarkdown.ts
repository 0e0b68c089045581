// Markdown by headings: one section per heading (ATX "# Title" and setext "Title\n===") running
// to the next heading, with its heading path ("Install > Linux") and exact source lines. Text
// before the first heading is a section without a heading. Headings inside fenced code and YAML
// or TOML front matter are not headings. A line scanner, no regular expression that can backtrack.

import type { DocumentSection } from '../../common/document.js';

/** A heading found in Markdown source. Lines are 0-based indexes. */
export interface MarkdownHeading {
  /** First line of the heading (a setext heading starts at its paragraph). */
  readonly line: number;
  /** Last line of the heading (the underline of a setext heading). */
  readonly endLine: number;
  /** 1-6. */
  readonly level: number;
  readonly title: string;
}

interface Fence {
  readonly char: string;
  readonly length: number;
}

/** Number of leading spaces, up to `max + 1`. */
function indentOf(line: string, max = 3): number {
  let i = 0;
  while (i <= max && line[i] === ' ') i++;
  return i;
}

/** An ATX heading line: up to 3 spaces, 1-6 "#", then a space or the end; closing "#"s dropped. */
export function atxHeading(line: string): { level: number; title: string } | undefined {
  const start = indentOf(line);
  if (start > 3 || line[start] !== '#') return undefined;
  let level = 0;
  while (line[start + level] === '#') level++;
  const after = line[start + level];
  if (level > 6 || (after !== undefined && after !== ' ' && after !== '\t')) return undefined;
  let title = line.slice(start + level).trim();
  let end = title.length;
  while (end > 0 && title[end - 1] === '#') end--;
  if (end === 0) title = '';
  else if (end < title.length && (title[end - 1] === ' ' || title[end - 1] === '\t')) title = title.slice(0, end).trimEnd();
  return { level, title };
}

/** An opening code fence: up to 3 spaces and 3+ backticks (no backtick after) or tildes. */
function fenceOf(line: string): Fence | undefined {
  const start = indentOf(line);
  const char = line[start];
  if (start > 3 || (char !== '`' && char !== '~')) return undefined;
  let length = 0;
  while (line[start + length] === char) length++;
  if (length < 3 || (char === '`' && line.includes('`', start + length))) return undefined;
  return { char, length };
}

function closesFence(line: string, fence: Fence): boolean {
  const closing = fenceOf(line);
  if (!closing || closing.char !== fence.char || closing.length < fence.length) return false;
  return line.slice(indentOf(line) + closing.length).trim() === '';
}

/** Level of a setext underline ("===" is 1, "---" is 2), or 0. */
function setextLevel(line: string): number {
  const start = indentOf(line);
  const char = line[start];
  if (start > 3 || (char !== '=' && char !== '-')) return 0;
  let end = start;
  while (line[end] === char) end++;
  return line.slice(end).trim() === '' ? (char === '=' ? 1 : 2) : 0;
}

/** A line that opens a list item or a block quote (a setext underline does not apply to it). */
function opensContainer(line: string): boolean {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('>')) return true;
  if (/^[-*+][ \t]/.test(trimmed)) return true;
  const digits = /^\d{1,9}[.)]/.exec(trimmed);
  return digits !== null && (trimmed.length === digits[0].length || trimmed[digits[0].length] === ' ' || trimmed[digits[0].length] === '\t');
}

/** Index of the first line after front matter ("---" or "+++" fenced at the very top), or 0. */
function frontMatterEnd(lines: readonly string[]): number {
  const open = lines[0]?.trimEnd();
  if (open !== '---' && open !== '+++') return 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trimEnd();
    if (line === open || (open === '---' && line === '...')) return i + 1;
  }
  return 0;
}

/** The headings of Markdown source split into lines, in order. */
export function markdownHeadings(lines: readonly string[]): MarkdownHeading[] {
  const headings: MarkdownHeading[] = [];
  let fence: Fence | undefined;
  let paragraph = -1;
  for (let i = frontMatterEnd(lines); i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
      continue;
    }
    fence = fenceOf(line);
    const atx = fence ? undefined : atxHeading(line);
    if (fence || atx || line.trim() === '') {
      if (atx) headings.push({ line: i, endLine: i, ...atx });
      paragraph = -1;
      continue;
    }
    const level = setextLevel(line);
    if (level > 0 && paragraph >= 0 && !opensContainer(lines[paragraph])) {
      const title = lines.slice(paragraph, i).map((l) => l.trim()).join(' ');
      headings.push({ line: paragraph, endLine: i, level, title });
      paragraph = -1;
    } else if (level === 2) {
      paragraph = -1; // "---" that underlines nothing is a thematic break
    } else if (paragraph < 0 && indentOf(line) <= 3) {
      paragraph = i;
    }
  }
  return headings;
}

/** A section over lines `start..end` (0-based, inclusive) with blank lines at both ends dropped. */
function sectionOf(lines: readonly string[], start: number, end: number, heading?: string): DocumentSection | undefined {
  while (start <= end && lines[start].trim() === '') start++;
  while (end >= start && lines[end].trim() === '') end--;
  if (end < start) return undefined;
  const text = lines.slice(start, end + 1).join('\n');
  return heading === undefined ? { text, startLine: start + 1, endLine: end + 1 } : { text, startLine: start + 1, endLine: end + 1, heading };
}

/** Joins a heading stack into a path: "Install > Linux". */
export function headingPath(stack: readonly { readonly title: string }[]): string {
  return stack.map((h) => h.title).join(' > ');
}

/** Updates a heading stack (outermost first) with a heading of `level`. */
export function pushHeading(stack: { level: number; title: string }[], level: number, title: string): void {
  while (stack.length > 0 && stack[stack.length - 1].level >= level) stack.pop();
  stack.push({ level, title });
}

/** Splits Markdown (line breaks "\n") into heading sections with exact 1-based line ranges. */
export function parseMarkdown(text: string): DocumentSection[] {
  const lines = text.split('\n');
  const headings = markdownHeadings(lines);
  const sections: DocumentSection[] = [];
  const add = (section: DocumentSection | undefined): void => {
    if (section) sections.push(section);
  };
  add(sectionOf(lines, 0, (headings[0]?.line ?? lines.length) - 1));
  const stack: { level: number; title: string }[] = [];
  headings.forEach((heading, k) => {
    pushHeading(stack, heading.level, heading.title);
    add(sectionOf(lines, heading.line, (headings[k + 1]?.line ?? lines.length) - 1, headingPath(stack)));
  });
  return sections;
}
