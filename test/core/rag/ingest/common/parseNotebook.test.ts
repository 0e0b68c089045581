// Jupyter notebooks: one section per cell with its index, kind and heading path; outputs ignored.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotebook } from '../../../../../core/rag/ingest/common/parseNotebook.js';
import { UnparsableFileError } from '../../../../../core/rag/ingest/common/skips.js';

const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'ir', language: 'R', display_name: 'R' } },
  cells: [
    { cell_type: 'markdown', metadata: {}, source: ['# Analysis\n', '\n', 'Load the data.'] },
    { cell_type: 'code', metadata: {}, execution_count: 1, source: 'x <- read.csv("a.csv")\r\nsummary(x)\n', outputs: [{ output_type: 'stream', text: ['SECRET OUTPUT'] }] },
    { cell_type: 'code', metadata: {}, source: [], outputs: [] },
    { cell_type: 'markdown', metadata: {}, source: '## Plots' },
    { cell_type: 'raw', metadata: {}, source: 'raw text' },
  ],
};

test('cells become sections: index, kind, lines within the cell, heading path; outputs ignored', () => {
  const parsed = parseNotebook(JSON.stringify(NOTEBOOK));
  assert.equal(parsed.kind, 'notebook');
  assert.equal(parsed.language, 'r');
  assert.deepEqual(
    parsed.sections.map((s) => [s.cell, s.cellKind, s.startLine, s.endLine, s.heading]),
    [
      [0, 'markdown', 1, 3, 'Analysis'],
      [1, 'code', 1, 2, 'Analysis'],
      [3, 'markdown', 1, 1, 'Analysis > Plots'],
      [4, 'raw', 1, 1, 'Analysis > Plots'],
    ],
  );
  assert.equal(parsed.sections[1].text, 'x <- read.csv("a.csv")\nsummary(x)');
  assert.ok(!parsed.sections.some((s) => s.text.includes('SECRET OUTPUT')));
});

test('language from language_info when there is no kernelspec; nbformat 3 worksheets', () => {
  const v3 = { metadata: { language_info: { name: 'python' } }, worksheets: [{ cells: [{ cell_type: 'code', input: ['print(1)'] }] }] };
  const parsed = parseNotebook(JSON.stringify(v3));
  assert.equal(parsed.language, 'python');
  assert.deepEqual(parsed.sections.map((s) => s.text), ['print(1)']);
});

test('not JSON, or no cells: skipped as malformed', () => {
  for (const text of ['{"cells": [', '{"metadata": {}}', '42']) {
    assert.throws(() => parseNotebook(text), (e: unknown) => e instanceof UnparsableFileError && e.skipReason === 'malformed');
  }
});
