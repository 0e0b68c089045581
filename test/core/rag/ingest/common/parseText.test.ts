// Code and plain text: one section with its line range; languages by extension, name and shebang.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileTypeOf, languageOfShebang } from '../../../../../core/rag/ingest/common/fileKinds.js';
import { parseTextFile } from '../../../../../core/rag/ingest/common/parseText.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

test('kinds and languages from names', () => {
  const cases: [string, string, string | undefined][] = [
    ['src/a.ts', 'code', 'typescript'],
    ['A.PY', 'code', 'python'],
    ['lib/x.rs', 'code', 'rust'],
    ['Makefile', 'code', 'makefile'],
    ['build/Dockerfile.dev', 'code', 'dockerfile'],
    ['CMakeLists.txt', 'code', 'cmake'],
    ['README.md', 'markdown', undefined],
    ['docs/index.HTML', 'html', undefined],
    ['paper.pdf', 'pdf', undefined],
    ['report.docx', 'docx', undefined],
    ['nb.ipynb', 'notebook', undefined],
    ['notes.txt', 'text', undefined],
    ['LICENSE', 'text', undefined],
    ['.bashrc', 'code', 'shellscript'],
  ];
  for (const [path, kind, language] of cases) assert.deepEqual(fileTypeOf(path), language ? { kind, language } : { kind }, path);
});

test('shebang lines name the language of scripts without an extension', () => {
  assert.equal(languageOfShebang('#!/usr/bin/env python3'), 'python');
  assert.equal(languageOfShebang('#!/usr/bin/env -S node --experimental'), 'javascript');
  assert.equal(languageOfShebang('#!/bin/bash -e'), 'shellscript');
  assert.equal(languageOfShebang('#!/usr/local/bin/python3.12'), 'python');
  assert.equal(languageOfShebang('# comment'), undefined);
  assert.deepEqual(fileTypeOf('bin/tool', '#!/usr/bin/env ruby'), { kind: 'code', language: 'ruby' });
});

test('code is one section over all its lines, with its encoding', () => {
  const doc = parseTextFile({ path: 'a.py', kind: 'code', language: 'python' }, utf8('def f():\r\n    return 1\r\n'));
  assert.deepEqual(doc, {
    path: 'a.py',
    kind: 'code',
    language: 'python',
    encoding: 'utf-8',
    sections: [{ text: 'def f():\n    return 1\n', startLine: 1, endLine: 2 }],
  });
});

test('a text file with a shebang is code; an empty file has no sections', () => {
  const script = parseTextFile({ path: 'run', kind: 'text' }, utf8('#!/bin/sh\necho hi\n'));
  assert.equal(script.kind, 'code');
  assert.equal(script.language, 'shellscript');
  assert.deepEqual(parseTextFile({ path: 'empty.txt', kind: 'text' }, new Uint8Array(0)).sections, []);
});

test('Markdown, HTML and notebooks go to their parsers; Latin-1 is recorded', () => {
  const md = parseTextFile({ path: 'a.md', kind: 'markdown' }, new Uint8Array(Buffer.from('# Caf\xe9\nbody', 'latin1')));
  assert.equal(md.encoding, 'latin1');
  assert.equal(md.sections[0].heading, 'Café');
  assert.equal(parseTextFile({ path: 'a.html', kind: 'html' }, utf8('<h1>T</h1><p>x</p>')).sections[0].heading, 'T');
  assert.equal(parseTextFile({ path: 'a.ipynb', kind: 'notebook' }, utf8('{"cells":[{"cell_type":"code","source":"1"}]}')).sections.length, 1);
});
