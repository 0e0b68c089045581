// The one test runner: finds test/**/*.test.ts (or the files/folders given) and runs them with
// node:test under tsx, so TypeScript sources and the worker threads they start load directly.
// Usage: node test/run.mjs [path ...]   (PINPOINT_TEST_CONCURRENCY sets parallel files; default 2)

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

function collect(path, out) {
  const stat = statSync(path);
  if (stat.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    collect(join(path, name), out);
  }
  return out;
}

const targets = process.argv.slice(2);
const files = (targets.length ? targets : ['test']).flatMap((t) => collect(resolve(t), []));
if (files.length === 0) {
  console.error(`no test files under ${targets.join(' ') || 'test/'}`);
  process.exit(1);
}
const concurrency = process.env.PINPOINT_TEST_CONCURRENCY ?? '2';
console.log(`running ${files.length} test files: ${files.map((f) => relative(root, f)).join(' ')}`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
