// Tests of the rest of eslint.config.js: portable globals in common/, no floating promises in
// core (type-aware), the size budgets, unused variables, and a clean run on real files.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { FIXTURE, ROOT, lintRule } from './lint.js';

test('DOM-only and Node-only globals are banned in common/, with the replacement', async () => {
  const messages = await lintRule(
    'no-restricted-globals',
    `core/engine/common/${FIXTURE}`,
    'export const a = process.env.HOME;\nexport const b = document.title;\nexport const c = Buffer.from([]);\n',
  );
  assert.deepEqual(messages, [
    "Unexpected use of 'process'. process is Node-only: common/ code runs in browsers too. Use it in a node/ folder.",
    "Unexpected use of 'document'. document is DOM-only: common/ code runs in Node too. Use it in a browser/ folder, or take what you need as a parameter.",
    "Unexpected use of 'Buffer'. Buffer is Node-only: common/ code runs in browsers too. Use it in a node/ folder, or Uint8Array.",
  ]);
  assert.deepEqual(await lintRule('no-restricted-globals', `core/engine/node/${FIXTURE}`, 'export const a = process.env.HOME;\n'), []);
});

test('a floating promise in core is an error; awaited or voided ones are not', async () => {
  const floating = await lintRule(
    '@typescript-eslint/no-floating-promises',
    `core/assistant/${FIXTURE}`,
    'async function work(): Promise<void> {}\nexport function start(): void {\n  work();\n}\n',
  );
  assert.equal(floating.length, 1);
  const handled = await lintRule(
    '@typescript-eslint/no-floating-promises',
    `core/assistant/${FIXTURE}`,
    'async function work(): Promise<void> {}\nexport async function start(): Promise<void> {\n  await work();\n  void work();\n}\n',
  );
  assert.deepEqual(handled, []);
});

test('budgets: max-params 8, max-depth 6, complexity 36', async () => {
  const params = (n: number): string => `export function f(${Array.from({ length: n }, (_, i) => `a${i}: number`).join(', ')}): number {\n  return a0;\n}\n`;
  assert.deepEqual(await lintRule('@typescript-eslint/max-params', `core/engine/${FIXTURE}`, params(8)), []);
  assert.equal((await lintRule('@typescript-eslint/max-params', `core/engine/${FIXTURE}`, params(9))).length, 1);

  const nested = (depth: number): string =>
    `export function f(x: number): number {\n${'if (x) {\n'.repeat(depth)}return 1;\n${'}\n'.repeat(depth)}return 0;\n}\n`;
  assert.deepEqual(await lintRule('max-depth', `core/engine/${FIXTURE}`, nested(6)), []);
  assert.equal((await lintRule('max-depth', `core/engine/${FIXTURE}`, nested(7))).length, 1);

  const branches = (n: number): string =>
    `export function f(x: number): number {\n${Array.from({ length: n }, (_, i) => `  if (x === ${i}) return ${i};\n`).join('')}  return -1;\n}\n`;
  assert.deepEqual(await lintRule('complexity', `core/engine/${FIXTURE}`, branches(35)), []);
  assert.equal((await lintRule('complexity', `core/engine/${FIXTURE}`, branches(36))).length, 1);
});

test('unused variables are errors, except names starting with _', async () => {
  const unused = await lintRule('@typescript-eslint/no-unused-vars', `core/engine/${FIXTURE}`, 'export function f(a: number, b: number): number {\n  const c = 1;\n  return a;\n}\n');
  assert.equal(unused.length, 2);
  const ignored = await lintRule(
    '@typescript-eslint/no-unused-vars',
    `core/engine/${FIXTURE}`,
    'export function f(_a: number, b: number): number {\n  try {\n    return b;\n  } catch (_error) {\n    return 0;\n  }\n}\n',
  );
  assert.deepEqual(ignored, []);
});

test('real files of core lint clean through the TypeScript project service', async () => {
  const eslint = new ESLint({ cwd: ROOT });
  const results = await eslint.lintFiles(['core/engine/common/sampling/', 'core/cli/args.ts', 'eslint/', 'eslint.config.js']);
  assert.ok(results.length >= 8);
  assert.deepEqual(
    results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`)),
    [],
  );
});
