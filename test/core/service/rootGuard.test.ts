// The root guard: a path is found inside a root by its text and again after realpath; "..",
// absolute paths elsewhere and symbolic links that lead out of a root are refused as forbidden;
// a symlinked root itself is fine; results of a search are dropped when their file leads out.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ServiceError } from '../../../core/service/common/errors.js';
import { checkFilterRoots, checkRelativeGlob, guardRoots, isResultInsideRoots, resolveInsideRoots } from '../../../core/service/node/rootGuard.js';
import { tempFolder, writeTree } from '../rag/ingest/support/tempTree.js';

const base = tempFolder('pinpoint-guard-');
after(() => base.remove());
writeTree(base.path, {
  'root/src/a.ts': 'export const a = 1;\n',
  'root/escape.txt': { link: '../secret/key.txt' },
  'root/inner.ts': { link: 'src/a.ts' },
  'secret/key.txt': 'hunter2\n',
  'alias': { link: 'root' },
});
const root = `${base.path}/root`;

const forbidden = (pattern: RegExp) => (error: ServiceError) => error.code === 'forbidden' && pattern.test(error.message);

test('paths inside a root resolve to their place; outside ones are forbidden', async () => {
  const roots = await guardRoots([root]);
  assert.deepEqual(await resolveInsideRoots('src/a.ts', roots, roots[0]), { root, path: 'src/a.ts', real: `${root}/src/a.ts` });
  assert.equal((await resolveInsideRoots(`${root}/inner.ts`, roots)).path, 'src/a.ts');
  await assert.rejects(resolveInsideRoots('../../../../etc/passwd', roots, roots[0]), forbidden(/"\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is outside the indexed folders/));
  await assert.rejects(resolveInsideRoots('/etc/passwd', roots), forbidden(/outside the indexed folders/));
  await assert.rejects(resolveInsideRoots(`${base.path}/secret/key.txt`, roots), forbidden(/outside/));
  await assert.rejects(resolveInsideRoots('escape.txt', roots, roots[0]), forbidden(/leads out of the indexed folders \(a symbolic link\)/));
  await assert.rejects(resolveInsideRoots('src/missing.ts', roots, roots[0]), (e: ServiceError) => e.code === 'not-found');
  await assert.rejects(resolveInsideRoots('src/a.ts', roots), (e: ServiceError) => e.code === 'bad-request' && /relative/.test(e.message));
});

test('a root recorded through a symlink guards its real folder', async () => {
  const roots = await guardRoots([`${base.path}/alias`]);
  assert.equal(roots[0].real, root);
  assert.equal((await resolveInsideRoots(`${base.path}/alias/src/a.ts`, roots)).path, 'src/a.ts');
  assert.equal((await resolveInsideRoots(`${root}/src/a.ts`, roots)).root, `${base.path}/alias`);
  await assert.rejects(resolveInsideRoots(`${base.path}/alias/escape.txt`, roots), forbidden(/symbolic link/));
});

test('results are kept only when their file stays inside their root', async () => {
  const roots = await guardRoots([root]);
  assert.equal(await isResultInsideRoots(root, 'src/a.ts', roots), true);
  assert.equal(await isResultInsideRoots(root, 'src/deleted-since.ts', roots), true);
  assert.equal(await isResultInsideRoots(root, 'escape.txt', roots), false);
  assert.equal(await isResultInsideRoots(root, '../secret/key.txt', roots), false);
  assert.equal(await isResultInsideRoots('/elsewhere', 'src/a.ts', roots), false);
});

test('filter globs and roots', async () => {
  for (const glob of ['src/**/*.ts', '*.md', 'a..b/c']) checkRelativeGlob(glob);
  for (const glob of ['../../etc/passwd', '/etc/*', 'src/../../x', 'C:/Windows/*', '\\\\server\\share']) {
    assert.throws(() => checkRelativeGlob(glob), forbidden(/absolute path|climbs out/), glob);
  }
  const roots = await guardRoots([root]);
  assert.deepEqual(await checkFilterRoots([`${base.path}/alias`], roots), [root]);
  await assert.rejects(checkFilterRoots(['/etc'], roots), forbidden(/"\/etc" is not an indexed root/));
});
