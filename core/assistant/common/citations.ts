// Citations in an answer: `[n]`, `[n, m]`, `[n-m]` (also `[n–m]`, `[n; m]`, `[Source n]`),
// found outside code (fenced blocks and inline code spans are skipped, so `items[1]` in a code
// sample is not a citation; neither is a Markdown link `[1](url)`), then resolved against the
// numbered sources of the prompt: each cited number becomes its file and lines (or page), and a
// number with no source is flagged invalid.

import type { Place } from './answerPrompt.js';

/** Longest range `[n-m]` expanded to every number; a longer one counts as its two ends only. */
const MAX_RANGE = 50;

/** One bracket in the answer that cites sources. */
export interface CitationMention {
  /** Offsets of the bracket in the answer text: `text.slice(start, end)` is e.g. "[2, 3]". */
  readonly start: number;
  readonly end: number;
  /** The source numbers it cites, in the order written, ranges expanded. */
  readonly numbers: readonly number[];
}

/** A cited source number, resolved. */
export interface Citation {
  readonly n: number;
  /** True when a source has this number. */
  readonly valid: boolean;
  /** Where the source is (absent when invalid). */
  readonly place?: Place & { readonly root: string };
  /** How many brackets cite it. */
  readonly mentions: number;
}

const BRACKET = /\[\s*(?:sources?\s*)?(\d+(?:\s*[-–]\s*\d+)?(?:\s*[,;]\s*(?:sources?\s*)?\d+(?:\s*[-–]\s*\d+)?)*)\s*\](?!\()/gi;

/** The parts of `text` outside code: [start, end) ranges. */
function proseRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let at = 0;
  const code = /(^|\n)[ \t]*(```+|~~~+)[^\n]*\n[\s\S]*?(\n[ \t]*\2[ \t]*(?=\n|$)|$)|(`+)[^`\n]*?\4/g;
  for (const match of text.matchAll(code)) {
    const start = match.index + (match[1]?.length ?? 0);
    if (start > at) ranges.push([at, start]);
    at = match.index + match[0].length;
  }
  if (at < text.length) ranges.push([at, text.length]);
  return ranges;
}

/** The numbers of one bracket's inside: "1, 3-5" -> [1, 3, 4, 5]. */
function numbersOf(inside: string): number[] {
  const numbers: number[] = [];
  for (const part of inside.split(/[,;]/)) {
    const [from, to] = part.replace(/sources?/i, '').split(/[-–]/).map((s) => Number(s.trim()));
    if (to === undefined) numbers.push(from);
    else if (Math.abs(to - from) > MAX_RANGE) numbers.push(from, to);
    else for (let n = Math.min(from, to); n <= Math.max(from, to); n++) numbers.push(n);
  }
  return numbers;
}

/** Every citing bracket of `text`, in order. */
export function parseCitations(text: string): CitationMention[] {
  const mentions: CitationMention[] = [];
  for (const [start, end] of proseRanges(text)) {
    const prose = text.slice(start, end);
    for (const match of prose.matchAll(BRACKET)) {
      mentions.push({ start: start + match.index, end: start + match.index + match[0].length, numbers: numbersOf(match[1]) });
    }
  }
  return mentions;
}

/** A numbered source, as citations see it. */
export interface CitableSource extends Place {
  readonly n: number;
  readonly root: string;
}

/** The distinct numbers `text` cites, in order of first mention, each resolved against `sources`. */
export function resolveCitations(text: string, sources: readonly CitableSource[]): Citation[] {
  const byNumber = new Map(sources.map((s) => [s.n, s]));
  const counts = new Map<number, number>();
  for (const mention of parseCitations(text)) {
    for (const n of new Set(mention.numbers)) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return [...counts].map(([n, mentions]) => {
    const source = byNumber.get(n);
    if (!source) return { n, valid: false, mentions };
    const { root, path, startLine, endLine, page } = source;
    return { n, valid: true, place: { root, path, startLine, endLine, ...(page !== undefined ? { page } : {}) }, mentions };
  });
}
