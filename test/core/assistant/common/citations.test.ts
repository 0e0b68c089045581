// Citations parsed from synthetic answers ([n], [n, m], [n-m], [Source n]; code and links
// skipped) and resolved against numbered sources, with numbers that point to nothing flagged.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCitations, resolveCitations, type CitableSource } from '../../../../core/assistant/common/citations.js';

const SOURCES: CitableSource[] = [
  { n: 1, root: '/repo', path: 'src/cache.ts', startLine: 1, endLine: 22 },
  { n: 2, root: '/repo', path: 'docs/deploy.md', startLine: 5, endLine: 9 },
  { n: 3, root: '/repo', path: 'manual.pdf', startLine: 1, endLine: 40, page: 3 },
];

test('single, listed, ranged and "Source n" citations give their numbers and offsets', () => {
  const text = 'The cache evicts the oldest entry [1]. Roll back with helm [2, 3]; see [1-3] and [Source 2] and [3–1].';
  const mentions = parseCitations(text);
  assert.deepEqual(mentions.map((m) => m.numbers), [[1], [2, 3], [1, 2, 3], [2], [1, 2, 3]]);
  for (const m of mentions) assert.match(text.slice(m.start, m.end), /^\[.*\]$/);
  assert.equal(text.slice(mentions[1].start, mentions[1].end), '[2, 3]');
});

test('brackets in code blocks, inline code and Markdown links are not citations', () => {
  const text = 'Use `items[1]` here [2].\n\n```ts\nconst x = list[3];\n```\nA [1](https://example.com) link, and [4].';
  assert.deepEqual(parseCitations(text).map((m) => m.numbers), [[2], [4]]);
  assert.deepEqual(parseCitations('An unclosed fence\n```\ncode [7]\n').map((m) => m.numbers), []);
});

test('resolution: each number once in order of first mention, with its file and lines or page; unknown numbers invalid', () => {
  const citations = resolveCitations('First [2], then [1, 9] and again [2]; also [3] and [0].', SOURCES);
  assert.deepEqual(citations.map((c) => [c.n, c.valid, c.mentions]), [[2, true, 2], [1, true, 1], [9, false, 1], [3, true, 1], [0, false, 1]]);
  assert.deepEqual(citations[0].place, { root: '/repo', path: 'docs/deploy.md', startLine: 5, endLine: 9 });
  assert.equal(citations[3].place?.page, 3);
  assert.equal(citations[2].place, undefined);
});

test('an answer without citations, and a huge range, stay cheap and sane', () => {
  assert.deepEqual(resolveCitations('No sources were used.', SOURCES), []);
  assert.deepEqual(parseCitations('[1-100000]')[0].numbers, [1, 100000]);
});
