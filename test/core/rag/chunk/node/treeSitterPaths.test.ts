// Finding the tree-sitter files: from sources, from a folder named by the environment, and from an
// esbuild bundle placed outside the repository (where web-tree-sitter's own lookup would fail).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { resolveTreeSitterPaths, TREE_SITTER_DIR_VARIABLE } from '../../../../../core/rag/chunk/node/treeSitterPaths.js';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pinpoint-tree-sitter-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('from sources the installed packages are found', () => {
  const paths = resolveTreeSitterPaths();
  assert.ok(existsSync(paths.runtime) && basename(paths.runtime) === 'web-tree-sitter.wasm');
  assert.ok(existsSync(join(paths.grammarDir, 'tree-sitter-typescript.wasm')));
});

test('an explicit folder (or $PINPOINT_TREE_SITTER_DIR) with the runtime wins; a folder without it is skipped', () => {
  const flat = join(scratch, 'flat');
  rmSync(flat, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', flat]);
  copyFileSync(resolveTreeSitterPaths().runtime, join(flat, 'web-tree-sitter.wasm'));
  assert.deepEqual(resolveTreeSitterPaths(flat), { runtime: join(flat, 'web-tree-sitter.wasm'), grammarDir: flat });
  const saved = process.env[TREE_SITTER_DIR_VARIABLE];
  process.env[TREE_SITTER_DIR_VARIABLE] = flat;
  try {
    assert.equal(resolveTreeSitterPaths().grammarDir, flat);
  } finally {
    if (saved === undefined) delete process.env[TREE_SITTER_DIR_VARIABLE];
    else process.env[TREE_SITTER_DIR_VARIABLE] = saved;
  }
  assert.notEqual(resolveTreeSitterPaths(scratch).grammarDir, scratch);
});

test('an esbuild bundle outside the repository chunks by syntax tree', async () => {
  const entry = join(repo, 'test', 'core', 'rag', 'chunk', 'node', 'bundleEntry.ts');
  const outfile = join(scratch, 'bundle', 'chunk.mjs');
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error',
    banner: { js: "import { createRequire as __pinpointRequire } from 'node:module'; const require = __pinpointRequire(import.meta.url);" },
  });
  const run = spawnSync(process.execPath, [outfile], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [
    [1, 1, ''],
    [3, 5, 'export class A'],
  ]);
  // Without the packages in reach, the error names what was tried (and the chunker would fall back to lines).
  writeFileSync(join(scratch, 'package.json'), '{}');
  const lost = spawnSync(process.execPath, [outfile, 'paths'], { cwd: scratch, encoding: 'utf8', timeout: 60_000 });
  assert.match(lost.stdout, /tree-sitter files not found .*Tried: .*node_modules from/);
});
