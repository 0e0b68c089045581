// Process entry of the `pinpoint` CLI (bundled to core/dist/cli.js): wires Ctrl-C to cancellation
// and the process streams to main(). A second Ctrl-C exits at once.

import { main } from './main.js';
import { EXIT_CANCELLED } from './exitCodes.js';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
  controller.abort();
});
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
