// Documents: Markdown by heading sections (heading path as context, small neighbours merged
// under a shared heading), PDF by page (never across pages, page kept), notebooks by cell (with
// headings from Markdown cells), plain text by paragraphs; large sections split with overlap.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chunk } from '../../../../../core/rag/common/chunk.js';
import type { DocumentSection, ParsedDocument } from '../../../../../core/rag/common/document.js';
import { chunkDocument } from '../../../../../core/rag/chunk/common/documentChunker.js';
import { resolveChunkOptions } from '../../../../../core/rag/chunk/common/options.js';
import { countWords } from '../support.js';

/** Sections of `lines` (1-based source lines) split where a heading path is given. */
function sectionsOf(lines: string[], starts: [number, string][], extra: Partial<DocumentSection> = {}): DocumentSection[] {
  return starts.map(([start, heading], i) => {
    const end = (starts[i + 1]?.[0] ?? lines.length + 1) - 1;
    return { text: lines.slice(start - 1, end).join('\n'), startLine: start, endLine: end, heading, ...extra };
  });
}

const sentence = (i: number): string => `Sentence ${i} says something about retrieval and chunks.`;

/** A Markdown file: a short intro, an Install section with two short subsections, a long Usage, an Appendix. */
function markdown(): { lines: string[]; doc: ParsedDocument } {
  const usage = Array.from({ length: 12 }, (_, i) => [sentence(i), sentence(i + 100), '']).flat();
  const lines = [
    '# Pinpoint', 'Local search.', '',
    '## Install', 'Two ways.', '',
    '### Linux', 'Use the deb.', '',
    '### macOS', 'Use the dmg.', '',
    '## Usage', ...usage,
    '# Appendix', 'Licenses.',
  ];
  const sections = sectionsOf(lines, [
    [1, 'Pinpoint'], [4, 'Pinpoint > Install'], [7, 'Pinpoint > Install > Linux'], [10, 'Pinpoint > Install > macOS'],
    [13, 'Pinpoint > Usage'], [13 + usage.length + 1, 'Appendix'],
  ]);
  return { lines, doc: { path: 'README.md', kind: 'markdown', sections } };
}

function textOf(lines: string[], chunk: Chunk): string {
  return lines.slice(chunk.startLine - 1, chunk.endLine).join('\n');
}

test('Markdown: heading paths as context, small sections merged under their heading, large ones split', () => {
  const { lines, doc } = markdown();
  const options = resolveChunkOptions({ countTokens: countWords, budget: 40 });
  const chunks = chunkDocument(doc, '/docs', options);
  assert.deepEqual(chunks[0], {
    root: '/docs', path: 'README.md', language: 'markdown', startLine: 1, endLine: 11,
    text: lines.slice(0, 11).join('\n'), context: 'Pinpoint', ordinal: 0,
  });
  const usage = chunks.filter((c) => c.context === 'Pinpoint > Usage');
  assert.ok(usage.length >= 6, `${usage.length} usage pieces`);
  assert.equal(usage[0].startLine, 13);
  assert.equal(usage[usage.length - 1].endLine, 48);
  const last = chunks[chunks.length - 1];
  assert.deepEqual([last.startLine, last.endLine, last.context], [50, 51, 'Appendix']);
  for (const chunk of chunks) {
    assert.equal(chunk.text, textOf(lines, chunk));
    assert.ok(countWords(chunk.text) + countWords(chunk.context) <= 40);
  }
});

test('a split section repeats the previous piece\'s last whole lines, within overlapTokens', () => {
  const { lines, doc } = markdown();
  const chunks = chunkDocument(doc, '/docs', resolveChunkOptions({ countTokens: countWords, budget: 40, overlapTokens: 10 }));
  const usage = chunks.filter((c) => c.context === 'Pinpoint > Usage');
  let overlapped = 0;
  for (let i = 1; i < usage.length; i++) {
    const shared = usage[i - 1].endLine - usage[i].startLine + 1;
    if (shared <= 0) continue;
    overlapped++;
    const overlap = lines.slice(usage[i].startLine - 1, usage[i - 1].endLine).join('\n');
    assert.ok(countWords(overlap) <= 10, `overlap of ${countWords(overlap)} tokens`);
    assert.ok(usage[i - 1].text.endsWith(overlap) && usage[i].text.startsWith(overlap));
  }
  assert.ok(overlapped >= usage.length - 2, `${overlapped} of ${usage.length - 1} pieces overlap`);
  const none = chunkDocument(doc, '/docs', resolveChunkOptions({ countTokens: countWords, budget: 40, overlapTokens: 0 }))
    .filter((c) => c.context === 'Pinpoint > Usage');
  for (let i = 1; i < none.length; i++) assert.ok(none[i].startLine > none[i - 1].endLine);
});

test('PDF: chunks never span pages, keep their page and lines within it; small sections merge within a page', () => {
  const page3 = Array.from({ length: 20 }, (_, i) => sentence(i));
  const sections: DocumentSection[] = [
    { text: 'Title page', startLine: 1, endLine: 1, page: 1 },
    { text: 'Author and date', startLine: 3, endLine: 3, page: 1 },
    { text: 'Short abstract.', startLine: 1, endLine: 1, page: 2 },
    { text: page3.join('\n'), startLine: 1, endLine: 20, page: 3 },
    { text: 'Closing words.', startLine: 1, endLine: 1, page: 4 },
  ];
  const doc: ParsedDocument = { path: 'paper.pdf', kind: 'pdf', sections };
  const chunks = chunkDocument(doc, '/docs', resolveChunkOptions({ countTokens: countWords, budget: 40 }));
  assert.deepEqual(
    chunks.slice(0, 2).map((c) => [c.page, c.startLine, c.endLine, c.text]),
    [
      [1, 1, 3, 'Title page\nAuthor and date'],
      [2, 1, 1, 'Short abstract.'],
    ],
  );
  const onPage3 = chunks.filter((c) => c.page === 3);
  assert.ok(onPage3.length >= 5);
  for (const chunk of onPage3) {
    assert.equal(chunk.text, page3.slice(chunk.startLine - 1, chunk.endLine).join('\n'));
    assert.ok(chunk.startLine >= 1 && chunk.endLine <= 20);
  }
  assert.deepEqual(chunks.map((c) => c.page), [1, 2, ...onPage3.map(() => 3), 4]);
  assert.ok(chunks.every((c) => c.language === 'pdf'));
});

test('notebooks: cells merge under the heading of the Markdown cells before them', () => {
  const cells: [DocumentSection['cellKind'], string][] = [
    ['markdown', '# Load data\nWe read the CSV.'],
    ['code', "import pandas as pd\ndf = pd.read_csv('sales.csv')"],
    ['markdown', '## Clean'],
    ['code', 'df = df.dropna()'],
    ['code', "df['total'] = df.price * df.quantity"],
    ['markdown', '# Plot'],
    ['code', "df.plot(x='date', y='total')"],
  ];
  let line = 1;
  const sections = cells.map(([cellKind, text], cell): DocumentSection => {
    const startLine = line;
    line += text.split('\n').length + 1;
    return { text, startLine, endLine: startLine + text.split('\n').length - 1, cell, cellKind };
  });
  const doc: ParsedDocument = { path: 'sales.ipynb', kind: 'notebook', language: 'python', sections };
  const chunks = chunkDocument(doc, '/nb', resolveChunkOptions({ countTokens: countWords, budget: 40 }));
  assert.deepEqual(chunks.map((c) => [c.context, c.startLine, c.endLine]), [
    ['Load data', 1, 11],
    ['Plot', 13, 15],
  ]);
  assert.ok(chunks[0].text.includes("df['total']"));
});

test('plain text: paragraphs packed up to the budget, a chunk boundary at a blank line', () => {
  const paragraphs = Array.from({ length: 8 }, (_, i) => `${sentence(i)}\n${sentence(i + 50)}`);
  const text = paragraphs.join('\n\n');
  const doc: ParsedDocument = { path: 'notes.txt', kind: 'text', sections: [{ text, startLine: 1, endLine: 23 }] };
  const chunks = chunkDocument(doc, '/t', resolveChunkOptions({ countTokens: countWords, budget: 40, overlapTokens: 0 }));
  const lines = text.split('\n');
  assert.ok(chunks.length >= 4);
  for (const chunk of chunks) {
    assert.equal(lines[chunk.endLine] ?? '', '', 'ends at a paragraph end');
    assert.equal(chunk.context, '');
    assert.ok(countWords(chunk.text) <= 40);
  }
});

test('an empty document has no chunks', () => {
  const doc: ParsedDocument = { path: 'empty.md', kind: 'markdown', sections: [{ text: '\n\n', startLine: 1, endLine: 3 }] };
  assert.deepEqual(chunkDocument(doc, '/t', resolveChunkOptions({ countTokens: countWords })), []);
});
