// Layers of gitignore rules: each judges a path by its own rules, the highest layer with a
// matching rule decides, last matching rule within a layer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IgnoreRules, ignoreLayer } from '../../../../../core/rag/ingest/common/ignoreRules.js';

const layer = (base: string, patterns: string[]) => ignoreLayer(base, `.gitignore in ${base || '(root)'}`, patterns, false);

test('a higher layer re-includes a folder a lower one excludes, and what is inside it', () => {
  const rules = new IgnoreRules([layer('', ['build/', '*.log'])]).with([layer('', ['!build/'])]);
  assert.equal(rules.ignoredBy('build', true), undefined);
  // `ignore`'s own test() would fold in the lower layer's verdict on build/ and ignore this.
  assert.equal(rules.ignoredBy('build/main.js', false), undefined);
  assert.equal(rules.ignoredBy('build/out.log', false)?.source, '.gitignore in (root)');
});

test('nested layers match paths relative to their folder', () => {
  const rules = new IgnoreRules([layer('', ['*.tmp'])]).with([layer('src', ['/gen/', '!keep.tmp'])]);
  assert.equal(rules.ignoredBy('src/gen', true)?.source, '.gitignore in src');
  assert.equal(rules.ignoredBy('gen', true), undefined);
  assert.equal(rules.ignoredBy('src/a/gen', true), undefined);
  assert.equal(rules.ignoredBy('src/keep.tmp', false), undefined);
  assert.equal(rules.ignoredBy('src/other.tmp', false)?.source, '.gitignore in (root)');
  assert.equal(rules.ignoredBy('keep.tmp', false)?.source, '.gitignore in (root)');
});

test('within a layer the last matching rule wins; directory-only rules skip files', () => {
  const rules = new IgnoreRules([layer('', ['*.md', '!README.md', 'docs/', 'README.md'])]);
  assert.ok(rules.ignoredBy('README.md', false));
  assert.ok(rules.ignoredBy('docs', true));
  assert.equal(rules.ignoredBy('docs', false), undefined);
});

test('the top layer (settings) outranks every file', () => {
  const rules = new IgnoreRules([layer('', ['!*.ts'])], ignoreLayer('', 'settings', ['*.ts'], false)).with([layer('a', ['!x.ts'])]);
  assert.equal(rules.ignoredBy('a/x.ts', false)?.source, 'settings');
});

test('case-insensitive matching on request only', () => {
  assert.equal(new IgnoreRules([layer('', ['*.LOG'])]).ignoredBy('a.log', false), undefined);
  assert.ok(new IgnoreRules([ignoreLayer('', 'x', ['*.LOG'], true)]).ignoredBy('a.log', false));
});
