// Seeded random programs in each language with a grammar: imports, constants, comments, blank
// lines, functions with nested blocks, classes (impls, namespaces) with fields and methods,
// decorators and attributes, one-liners and, now and then, a missing closing brace.

import { seededRandom, type TestRandom } from '../../../support/seededRandom.js';

interface Syntax {
  readonly comment: string;
  readonly header: (r: TestRandom) => string[];
  readonly func: (name: string, body: string[], ind: string, r: TestRandom) => string[];
  readonly cls: (name: string, members: string[], ind: string) => string[];
  readonly stmt: (i: number, ind: string) => string;
  readonly block: (i: number, body: string[], ind: string) => string[];
  readonly wrap?: (lines: string[]) => string[];
  /** Indentation of members inside a class. */
  readonly member: string;
  readonly pad?: string;
}

const braces = (head: string, body: string[], ind: string): string[] => [`${ind}${head} {`, ...body, `${ind}}`];

const SYNTAX: Record<string, Syntax> = {
  typescript: {
    comment: '//',
    header: () => ["import { readFile } from 'node:fs/promises';", 'const LIMIT = 10;'],
    func: (n, b, ind, r) => (r.int(4) === 0 ? [`${ind}/** Does ${n}. */`] : []).concat(braces(`${ind ? '' : 'export function '}${n}(a: number, b: string): number`, b, ind)),
    cls: (n, m, ind) => braces(`${ind}export class ${n}`, [`${ind}  private count = 0;`, ...m], ind),
    stmt: (i, ind) => `${ind}a = a + ${i} * b.length;`,
    block: (i, b, ind) => braces(`${ind}if (a > ${i})`, b, ind),
    member: '  ',
  },
  python: {
    comment: '#',
    header: () => ['import os', 'from typing import Optional', '', 'LIMIT = 10'],
    func: (n, b, ind, r) => (r.int(4) === 0 ? [`${ind}@staticmethod`] : []).concat([`${ind}def ${n}(a: int, b: str) -> int:`, `${ind}    """Does ${n}."""`, ...b]),
    cls: (n, m, ind) => [`${ind}class ${n}(Base):`, `${ind}    count = 0`, ...m],
    stmt: (i, ind) => `${ind}a = a + ${i} * len(b)`,
    block: (i, b, ind) => [`${ind}if a > ${i}:`, ...b],
    member: '    ',
    pad: '    ',
  },
  go: {
    comment: '//',
    header: () => ['package sample', '', 'import (', '\t"fmt"', '\t"os"', ')', '', 'const limit = 10'],
    func: (n, b, ind) => braces(`${ind}func ${n}(a int, b string) int`, b, ind),
    cls: (n, m) => [...braces(`type ${n} struct`, ['\tcount int', '\tname  string'], ''), '', ...m.map((l) => l.replace(/^func (\w+)/, `func (s *${n}) $1`))],
    stmt: (i, ind) => `${ind}a = a + ${i}*len(b)`,
    block: (i, b, ind) => braces(`${ind}if a > ${i}`, b, ind),
    member: '',
    pad: '\t',
  },
  rust: {
    comment: '//',
    header: () => ['use std::collections::HashMap;', '', 'const LIMIT: usize = 10;'],
    func: (n, b, ind, r) => (r.int(3) === 0 ? [`${ind}#[inline]`] : []).concat(braces(`${ind}pub fn ${n}(a: i64, b: &str) -> i64`, b, ind)),
    cls: (n, m, ind) => [...braces(`${ind}pub struct ${n}`, [`${ind}    count: usize,`], ind), '', ...braces(`${ind}impl ${n}`, m, ind)],
    stmt: (i, ind) => `${ind}let a = a + ${i} * b.len() as i64;`,
    block: (i, b, ind) => braces(`${ind}if a > ${i}`, b, ind),
    member: '    ',
  },
  java: {
    comment: '//',
    header: () => ['package com.example;', '', 'import java.util.List;'],
    func: (n, b, ind, r) => (r.int(3) === 0 ? [`${ind}@Override`] : []).concat(braces(`${ind}public int ${n}(int a, String b)`, b, ind)),
    cls: (n, m, ind) => braces(`${ind}public class ${n}`, [`${ind}    private int count = 0;`, ...m], ind),
    stmt: (i, ind) => `${ind}a = a + ${i} * b.length();`,
    block: (i, b, ind) => braces(`${ind}if (a > ${i})`, b, ind),
    wrap: (lines) => braces('public final class Outer', lines.map((l) => (l ? `    ${l}` : l)), ''),
    member: '    ',
  },
  c: {
    comment: '//',
    header: () => ['#include <stdio.h>', '#include <string.h>', '', '#define LIMIT 10'],
    func: (n, b, ind) => [`${ind}static int ${n}(int a, const char *b)`, `${ind}{`, ...b, `${ind}}`],
    cls: (n, m) => [...braces(`struct ${n}`, ['    int count;', '    char *name;'], '').map((l, i, all) => (i === all.length - 1 ? '};' : l)), '', ...m],
    stmt: (i, ind) => `${ind}a = a + ${i} * (int)strlen(b);`,
    block: (i, b, ind) => braces(`${ind}if (a > ${i})`, b, ind),
    member: '',
  },
  cpp: {
    comment: '//',
    header: () => ['#include <string>', '#include <vector>'],
    func: (n, b, ind) => braces(`${ind}int ${n}(int a, const std::string& b)`, b, ind),
    cls: (n, m, ind) => [`${ind}class ${n} {`, `${ind}public:`, ...m, `${ind}private:`, `${ind}    int count_ = 0;`, `${ind}};`],
    stmt: (i, ind) => `${ind}a = a + ${i} * static_cast<int>(b.size());`,
    block: (i, b, ind) => braces(`${ind}if (a > ${i})`, b, ind),
    wrap: (lines) => ['namespace sample {', '', ...lines, '', '}  // namespace sample'],
    member: '    ',
  },
  csharp: {
    comment: '//',
    header: () => ['using System;', 'using System.Collections.Generic;'],
    func: (n, b, ind, r) => (r.int(3) === 0 ? [`${ind}[Obsolete]`] : []).concat([`${ind}public static int ${n}(int a, string b)`, `${ind}{`, ...b, `${ind}}`]),
    cls: (n, m, ind) => [`${ind}public class ${n}`, `${ind}{`, `${ind}    private int count = 0;`, ...m, `${ind}}`],
    stmt: (i, ind) => `${ind}a = a + ${i} * b.Length;`,
    block: (i, b, ind) => [`${ind}if (a > ${i})`, `${ind}{`, ...b, `${ind}}`],
    wrap: (lines) => ['namespace Sample', '{', ...lines.map((l) => (l ? `    ${l}` : l)), '}'],
    member: '    ',
  },
};

/** Languages the generator writes. */
export const GENERATED_LANGUAGES = Object.keys(SYNTAX);

function statements(s: Syntax, r: TestRandom, ind: string, depth: number): string[] {
  const step = s.pad ?? '    ';
  const out: string[] = [];
  const count = 1 + r.int(depth === 0 ? 12 : 4);
  for (let i = 0; i < count; i++) {
    if (depth < 2 && r.int(4) === 0) out.push(...s.block(i, statements(s, r, ind + step, depth + 1), ind));
    else out.push(s.stmt(i, ind));
    if (r.int(8) === 0) out.push(r.int(2) ? '' : `${ind}${s.comment} step ${i}`);
  }
  return out;
}

/** A random program of about `items` top-level items in `language`, the same for the same seed. */
export function generateSource(language: string, seed: number, items = 12): string {
  const s = SYNTAX[language];
  const r = seededRandom(seed);
  const step = s.pad ?? '    ';
  const lines: string[] = [...s.header(r), ''];
  for (let i = 0; i < items; i++) {
    if (r.int(5) === 0) lines.push(`${s.comment} Section ${i}: notes about the next part.`);
    if (r.int(3) === 0) {
      const members: string[] = [];
      for (let m = 0; m < 1 + r.int(6); m++) {
        members.push('', ...s.func(`method${m}`, statements(s, r, s.member + step, 0), s.member, r));
      }
      lines.push(...s.cls(`Type${i}`, members, ''));
    } else {
      lines.push(...s.func(`function${i}`, statements(s, r, step, 0), '', r));
    }
    lines.push(...(r.int(3) === 0 ? ['', ''] : ['']));
  }
  if (r.int(4) === 0) {
    const brace = lines.lastIndexOf('}');
    if (brace > 0) lines.splice(brace, 1);
  }
  return (s.wrap ? s.wrap(lines) : lines).join('\n') + '\n';
}
