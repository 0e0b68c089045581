// Helpers of the chunker tests: a whitespace token counter, a code document from text, and the
// coverage check (every non-blank line in exactly one chunk, text as in the source, sizes kept).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Chunk } from '../../../../core/rag/common/chunk.js';
import type { ParsedDocument } from '../../../../core/rag/common/document.js';

/** Tokens = runs of non-whitespace (exactly additive over lines). */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 9 || c === 10 || c === 13;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

/** A fixture file of test/core/rag/chunk/fixtures. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

/** A code document holding `text` as one section, as the code parser makes it. */
export function codeDocument(text: string, language: string | undefined, path = 'src/file'): ParsedDocument {
  return { path, kind: 'code', language, sections: [{ text, startLine: 1, endLine: text.split('\n').length }] };
}

/** [startLine, endLine, context] of each chunk. */
export function outline(chunks: readonly Chunk[]): [number, number, string][] {
  return chunks.map((c) => [c.startLine, c.endLine, c.context]);
}

/**
 * Problems with `chunks` of `text` (empty when right): a non-blank line in no chunk or in two, a
 * chunk whose text is not its lines, a chunk starting or ending on a blank line, chunks out of
 * order or misnumbered, a chunk over `max` tokens (text + context) that is not one line.
 */
export function coverageProblems(text: string, chunks: readonly Chunk[], max: number, count = countWords): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const seen = new Uint16Array(lines.length + 2);
  const problems: string[] = [];
  let previousEnd = 0;
  chunks.forEach((c, i) => {
    if (c.ordinal !== i) problems.push(`chunk ${i} has ordinal ${c.ordinal}`);
    const cut = c.startLine === c.endLine && c.text !== lines[c.startLine - 1];
    if (cut ? !lines[c.startLine - 1].includes(c.text) : c.text !== lines.slice(c.startLine - 1, c.endLine).join('\n')) {
      problems.push(`chunk ${i} (${c.startLine}-${c.endLine}) text is not its lines`);
    }
    if (!/\S/.test(lines[c.startLine - 1]) || !/\S/.test(lines[c.endLine - 1])) problems.push(`chunk ${i} starts or ends on a blank line`);
    if (c.startLine < previousEnd || (c.startLine === previousEnd && !cut)) problems.push(`chunk ${i} starts at ${c.startLine}, before ${previousEnd}`);
    previousEnd = c.endLine;
    const size = count(c.text) + (c.context ? count(c.context) + count('\n') : 0);
    if (size > max && !cut) problems.push(`chunk ${i} (${c.startLine}-${c.endLine}) has ${size} tokens > ${max}`);
    if (!cut || c.text === lines[c.startLine - 1].slice(0, c.text.length)) for (let l = c.startLine; l <= c.endLine; l++) seen[l]++;
  });
  lines.forEach((line, i) => {
    if (/\S/.test(line) && seen[i + 1] !== 1) problems.push(`line ${i + 1} is in ${seen[i + 1]} chunks: ${line.slice(0, 60)}`);
  });
  return problems;
}
