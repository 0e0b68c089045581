// Code -> chunks: by syntax tree when the file parsed (TreeSegmenter), else by lines at blank-line
// boundaries. Neither overlaps: every non-blank line is in exactly one chunk.

import type { Chunk } from '../../common/chunk.js';
import type { DocumentSection } from '../../common/document.js';
import { LineTable } from './LineTable.js';
import type { CodeLanguage } from './languages.js';
import { splitRows } from './lineSplitter.js';
import type { ResolvedChunkOptions } from './options.js';
import { type ChunkTarget, ContextCosts, groupsToChunks, packSegments, type Segment } from './segments.js';
import type { SyntaxNode } from './syntax.js';
import { TreeSegmenter } from './TreeSegmenter.js';

/** A file's source text, with the source line of its first line. */
export interface SourceText {
  readonly text: string;
  /** 1-based line of the text's first line in the file. */
  readonly firstLine: number;
}

/**
 * The source text of a code document's sections, each placed at its own lines (a gap between
 * sections becomes empty lines), so that rows of the text are lines of the file.
 */
export function sourceOfSections(sections: readonly DocumentSection[]): SourceText {
  if (sections.length === 0) return { text: '', firstLine: 1 };
  if (sections.length === 1) return { text: sections[0].text, firstLine: sections[0].startLine };
  const firstLine = Math.min(...sections.map((s) => s.startLine));
  const lines: string[] = [];
  for (const section of sections) {
    const offset = section.startLine - firstLine;
    section.text.split('\n').forEach((line, i) => {
      lines[offset + i] = line;
    });
  }
  return { text: Array.from(lines, (line) => line ?? '').join('\n'), firstLine };
}

/**
 * Chunks of one source file. With `root` (the syntax tree of `source.text` in `language`) chunks
 * follow units; without, they follow blank lines.
 */
export function chunkCode(
  source: SourceText,
  target: Omit<ChunkTarget, 'firstLine'>,
  options: ResolvedChunkOptions,
  tree?: { readonly root: SyntaxNode; readonly language: CodeLanguage },
): Chunk[] {
  const table = LineTable.fromText(source.text, options.countTokens);
  const costs = new ContextCosts(options.countTokens);
  const segments: Segment[] = tree
    ? new TreeSegmenter(source.text, table, tree.language, options, costs).segment(tree.root)
    : splitRows(table, 0, table.length - 1, [], { budget: options.budget, max: options.maxTokens }, options.countTokens);
  const chunks: Chunk[] = [];
  groupsToChunks(packSegments(segments, options, costs), table, { ...target, firstLine: source.firstLine }, chunks);
  return chunks;
}
