// HTML (and the HTML that mammoth makes of a DOCX) to heading sections: each heading starts a
// section that runs to the next one, with its heading path; blocks are joined one per line.

import type { DocumentSection } from '../../common/document.js';
import { htmlBlocks, type HtmlBlock } from './htmlText.js';
import { headingPath, pushHeading } from './parseMarkdown.js';

/**
 * Which lines a section's range counts: "source" for lines of the HTML file itself (as well as
 * tags allow), "output" for lines of the extracted text (DOCX, whose source has no lines).
 */
export type HtmlLineMode = 'source' | 'output';

/** Splits HTML into heading sections; blocks are joined with "\n". */
export function parseHtml(html: string, lines: HtmlLineMode): DocumentSection[] {
  const blocks = htmlBlocks(html);
  const sections: DocumentSection[] = [];
  const stack: { level: number; title: string }[] = [];
  let outputLine = 1;
  let group: HtmlBlock[] = [];
  let heading: string | undefined;
  const close = (): void => {
    if (group.length === 0) return;
    const text = group.map((b) => b.text).join('\n');
    const count = text.split('\n').length;
    const range = lines === 'source'
      ? { startLine: group[0].startLine, endLine: group.reduce((max, b) => Math.max(max, b.endLine), 0) }
      : { startLine: outputLine, endLine: outputLine + count - 1 };
    sections.push(heading === undefined ? { text, ...range } : { text, ...range, heading });
    outputLine += count;
    group = [];
  };
  for (const block of blocks) {
    if (block.level > 0) {
      close();
      pushHeading(stack, block.level, block.text);
      heading = headingPath(stack);
    }
    group.push(block);
  }
  close();
  return sections;
}
