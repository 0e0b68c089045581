// The `pinpoint` command as scripts call it: the built bin in a child process (generate --json,
// tokenize --json, --help, and `npm start` as the README gives it) and main() in-process for
// every error path and its exit code.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { EXIT_BAD_ARGUMENT, EXIT_BAD_FILE } from '../../../core/cli/exitCodes.js';
import { runMain } from './support/runMain.js';

const BIN = new URL('../../../core/bin/pinpoint.js', import.meta.url).pathname;
const MODEL = new URL('../../../../shared/data/llm/stories260K.gguf', import.meta.url).pathname;
const run = promisify(execFile);

test('bin: generate --json prints the completion, its token ids and stats', async () => {
  const { stdout } = await run(process.execPath, [BIN, 'generate', '--model', MODEL, '--prompt', 'Once upon a time', '--max-tokens', '12', '--temperature', '0', '--json']);
  const result = JSON.parse(stdout);
  assert.equal(result.text, ', there was a little girl named Lily. She');
  assert.deepEqual(result.tokens, [432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338]);
  assert.equal(result.stats.promptTokens, 5);
  assert.ok(result.stats.decodeTokensPerSecond > 0 && result.stats.weightBytes > 0);
});

test('bin: tokenize --json gives the ids of the text alone (no BOS)', async () => {
  const { stdout } = await run(process.execPath, [BIN, 'tokenize', '--model', MODEL, '--text', 'Once upon a time', '--json']);
  assert.deepEqual(JSON.parse(stdout), { ids: [403, 407, 261, 378] });
});

test('bin: --help lists the commands', async () => {
  const { stdout } = await run(process.execPath, [BIN, '--help']);
  assert.match(stdout, /generate/);
  assert.match(stdout, /tokenize/);
});

test('bad arguments exit 2 with a message naming the flag', async () => {
  const cases: [string[], RegExp][] = [
    [['generate', '--prompt', 'x'], /--model/],
    [['generate', '--model', MODEL, '--prompt', 'x', '--temperature', 'hot'], /--temperature/],
    [['generate', '--model', MODEL, '--prompt', 'x', '--backend', 'npu'], /npu/],
    [['generate', '--model', MODEL, '--prompt', 'x', '--max-tokenz', '3'], /--max-tokenz/],
    [['frobnicate'], /frobnicate/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await runMain(args);
    assert.equal(code, EXIT_BAD_ARGUMENT, args.join(' '));
    assert.match(stderr, message);
  }
});

test('a model path that is not a model exits 3 and names the file', async () => {
  const { code, stderr } = await runMain(['generate', '--model', BIN, '--prompt', 'x']);
  assert.equal(code, EXIT_BAD_FILE);
  assert.match(stderr, /pinpoint\.js/);
  const missing = await runMain(['tokenize', '--model', '/nonexistent/model.gguf', '--text', 'x']);
  assert.equal(missing.code, EXIT_BAD_FILE);
  assert.match(missing.stderr, /does not exist/);
});

test('npm start (the README\'s first command) streams a story from stories260K', async () => {
  const root = new URL('../../..', import.meta.url).pathname;
  const { stdout } = await run('npm', ['start', '--silent'], { cwd: root });
  assert.match(stdout, /^Once upon a time, there was a little girl named Lily\./);
  assert.ok(stdout.length > 400, 'about 200 tokens of text');
});
