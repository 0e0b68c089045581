// HTML to text with structure: headings, paragraphs, lists, tables, pre blocks, source lines;
// script, style and comments dropped; character references decoded.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEntities, htmlBlocks } from '../../../../../core/rag/ingest/common/htmlText.js';
import { parseHtml } from '../../../../../core/rag/ingest/common/parseHtml.js';

const PAGE = `<!DOCTYPE html>
<html><head><title>Guide &amp; Notes</title>
<style>h1 { color: red; }</style>
<script>if (a < b) { document.write("<h1>fake</h1>"); }</script>
</head>
<body>
<!-- <h1>commented out</h1> -->
<h1 class="top">Getting
  started</h1>
<p>Pinpoint indexes <b>local</b>
folders.</p>
<ul>
  <li>Fast</li>
  <li>Private <a href="x">really</a></li>
</ul>
<h2>Install</h2>
<ol><li>Download</li><li>Run</li></ol>
<pre>
npm  install
  --save pinpoint
</pre>
<table><tr><th>Key</th><th>Value</th></tr><tr><td>a</td><td>1 &lt; 2</td></tr></table>
<h1>Other</h1><p>x &#169; &#x263A; &nbsp;y</p>
</body></html>`;

test('sections by heading, with heading paths, text per block and source lines', () => {
  const sections = parseHtml(PAGE, 'source');
  assert.deepEqual(
    sections.map((s) => [s.heading, s.startLine, s.endLine]),
    [
      [undefined, 2, 2],
      ['Getting started', 8, 14],
      ['Getting started > Install', 16, 22],
      ['Other', 23, 23],
    ],
  );
  assert.equal(sections[0].text, 'Guide & Notes');
  assert.equal(sections[1].text, 'Getting started\nPinpoint indexes local folders.\n- Fast\n- Private really');
  assert.equal(sections[2].text, 'Install\n1. Download\n2. Run\nnpm  install\n  --save pinpoint\nKey | Value\na | 1 < 2');
  assert.equal(sections[3].text, 'Other\nx © ☺ y'); // a no-break space is whitespace too
});

test('script, style, comments and their fake tags leave no text', () => {
  const text = parseHtml(PAGE, 'source').map((s) => s.text).join('\n');
  for (const hidden of ['fake', 'color', 'commented']) assert.ok(!text.includes(hidden), hidden);
});

test('"output" line numbers count the lines of the extracted text', () => {
  const sections = parseHtml('<h1>A</h1><p>one</p><p>two</p><h2>B</h2><pre>x\ny</pre>', 'output');
  assert.deepEqual(sections.map((s) => [s.heading, s.startLine, s.endLine, s.text]), [
    ['A', 1, 3, 'A\none\ntwo'],
    ['A > B', 4, 6, 'B\nx\ny'],
  ]);
});

test('nested lists are indented; an unclosed heading ends at the next block', () => {
  const blocks = htmlBlocks('<h3>Open heading<p>body</p><ul><li>a<ul><li>b</li></ul></li></ul>');
  assert.deepEqual(blocks.map((b) => [b.level, b.text]), [[3, 'Open heading'], [0, 'body'], [0, '- a'], [0, '  - b']]);
});

test('tolerant of broken markup: a stray "<", an unclosed comment, quotes with ">" in attributes', () => {
  assert.deepEqual(htmlBlocks('<p>1 < 2 and <a title="x>y">link</a></p>').map((b) => b.text), ['1 < 2 and link']);
  assert.deepEqual(htmlBlocks('<p>kept</p><!-- never closed <p>lost</p>').map((b) => b.text), ['kept']);
  assert.deepEqual(htmlBlocks('<SCRIPT>x</Script ><P>after</P>').map((b) => b.text), ['after']);
});

test('character references: named, decimal, hexadecimal, unknown and out of range', () => {
  assert.equal(decodeEntities('&lt;a&gt; &amp;amp; &#65;&#x42; &bogus; &#xD800; &copy'), '<a> &amp; AB &bogus; \ufffd ©');
});
