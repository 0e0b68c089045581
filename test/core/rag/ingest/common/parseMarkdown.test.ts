// Markdown by headings: sections with heading paths and exact source lines.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atxHeading, parseMarkdown } from '../../../../../core/rag/ingest/common/parseMarkdown.js';

const DOC = [
  'Intro line before any heading.', //  1
  '', //                                 2
  '# Pinpoint', //                       3
  '', //                                 4
  'A local assistant.', //               5
  '', //                                 6
  '## Install', //                       7
  'Run npm.', //                         8
  '', //                                 9
  '```sh', //                           10
  '# not a heading (a shell comment)', //11
  '```', //                             12
  '', //                                13
  '### Linux ###', //                   14
  'apt-get.', //                        15
  '', //                                16
  '', //                                17
  'Usage', //                           18
  '-----', //                           19
  'Ask.', //                            20
  '', //                                21
  '# Second top', //                    22
  '    # indented code, not a heading', //23
].join('\n');

test('sections follow headings, with heading paths and exact 1-based line ranges', () => {
  const sections = parseMarkdown(DOC);
  assert.deepEqual(
    sections.map((s) => [s.heading, s.startLine, s.endLine]),
    [
      [undefined, 1, 1],
      ['Pinpoint', 3, 5],
      ['Pinpoint > Install', 7, 12],
      ['Pinpoint > Install > Linux', 14, 15],
      ['Pinpoint > Usage', 18, 20],
      ['Second top', 22, 23],
    ],
  );
  const lines = DOC.split('\n');
  for (const s of sections) assert.equal(s.text, lines.slice(s.startLine - 1, s.endLine).join('\n'));
});

test('front matter is not a setext heading; "---" after a blank line is a rule', () => {
  const text = ['---', 'title: x', '---', '# A', 'para', '', '---', 'after rule'].join('\n');
  assert.deepEqual(parseMarkdown(text).map((s) => [s.heading, s.startLine, s.endLine]), [
    [undefined, 1, 3],
    ['A', 4, 8],
  ]);
});

test('a list item over "---" is not a heading; "===" under a paragraph is', () => {
  const text = ['- item', '---', 'Title', 'continued', '===', 'body'].join('\n');
  assert.deepEqual(parseMarkdown(text).map((s) => [s.heading, s.startLine, s.endLine]), [
    [undefined, 1, 2],
    ['Title continued', 3, 6],
  ]);
});

test('a tilde fence hides headings until a closing fence at least as long', () => {
  const text = ['# A', '~~~~', '# hidden', '~~~', '# still hidden', '~~~~', '# B'].join('\n');
  assert.deepEqual(parseMarkdown(text).map((s) => s.heading), ['A', 'B']);
});

test('ATX headings: up to three spaces, closing hashes, "#5" is not a heading', () => {
  assert.deepEqual(atxHeading('   ## Title ##'), { level: 2, title: 'Title' });
  assert.deepEqual(atxHeading('# C#'), { level: 1, title: 'C#' });
  assert.deepEqual(atxHeading('#'), { level: 1, title: '' });
  assert.equal(atxHeading('#5 bolt'), undefined);
  assert.equal(atxHeading('    # code'), undefined);
  assert.equal(atxHeading('####### seven'), undefined);
});

test('a blank document has no sections', () => {
  assert.deepEqual(parseMarkdown('\n\n  \n'), []);
});
