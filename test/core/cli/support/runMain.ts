// The `pinpoint` command in-process for tests: main() with captured stdout and stderr.

import { PassThrough } from 'node:stream';
import { main } from '../../../../core/cli/main.js';

/** What a run of main() gave: its exit code and everything it printed. */
export interface MainRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `pinpoint ARGS...` through main() and collects its output. */
export async function runMain(args: string[]): Promise<MainRun> {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(args, { stdout, stderr, signal: new AbortController().signal });
  return { code, stdout: out, stderr: err };
}
