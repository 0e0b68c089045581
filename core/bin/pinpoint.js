#!/usr/bin/env node
// The `pinpoint` command: runs the built CLI (core/dist/cli.js), building it first if this is a
// fresh checkout where `npm install` has not built it yet.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  const build = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [build], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
await import(cli);
