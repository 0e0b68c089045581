// `pinpoint models list|pull|import|rm` through main(), with PINPOINT_CACHE_DIR and
// PINPOINT_MODEL_CATALOG pointing at a temporary cache and a catalog served from 127.0.0.1; and
// the progress bar the command draws on a TTY (and not elsewhere). (These tests live here, with
// the model manager they drive, rather than under test/core/cli/.)

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { EXIT_BAD_ARGUMENT, EXIT_BAD_FILE, EXIT_CANCELLED, EXIT_INTEGRITY, EXIT_NETWORK, EXIT_OK } from '../../../../core/cli/exitCodes.js';
import { main } from '../../../../core/cli/main.js';
import { formatBytes, formatDuration, ProgressBar, renderProgressLine } from '../../../../core/cli/progressBar.js';
import { fixture, serveBytes, sha256Of, startServer, type TestServer } from '../support/fixtureServer.js';

const GGUF = fixture(32 * 1024).body;
GGUF.write('GGUF', 0, 'latin1');
GGUF.writeUInt32LE(3, 4);
let dir: string;
let server: TestServer;

/** A writable that collects text and may claim to be a TTY. */
function sink(isTTY = false): PassThrough & { text: () => string; isTTY: boolean; columns: number } {
  const stream = new PassThrough() as PassThrough & { text: () => string; isTTY: boolean; columns: number };
  let text = '';
  stream.on('data', (d) => (text += d));
  stream.text = () => text;
  stream.isTTY = isTTY;
  stream.columns = 100;
  return stream;
}

async function run(args: string[], options: { tty?: boolean; signal?: AbortSignal } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink(), stderr = sink(options.tty);
  const code = await main(args, { stdout, stderr, signal: options.signal ?? new AbortController().signal });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pinpoint-cli-models-'));
  server = await startServer((req, res) => {
    if (req.url === '/tiny.gguf') serveBytes(req, res, GGUF, { chunkSize: 2048, chunkDelayMs: 5 });
    else if (req.url === '/unverified.gguf') serveBytes(req, res, GGUF);
    else res.writeHead(404).end();
  });
  const memory = { contextTokens: 4096, weightsBytes: GGUF.length, kvCacheBytes: 1000, ramBytes: GGUF.length + 2000 };
  const model = (id: string, url: string, sha256: string | null) => ({
    id, displayName: id, kind: 'chat', format: 'gguf', license: 'mit',
    files: [{ path: `${id}.gguf`, url: `${server.origin}${url}`, size: GGUF.length, sha256 }], sizeBytes: GGUF.length, memory,
  });
  const catalog = { schemaVersion: 1, models: [model('tiny', '/tiny.gguf', sha256Of(GGUF)), model('missing', '/missing.gguf', sha256Of(GGUF)), model('unverified', '/unverified.gguf', null), model('corrupt', '/unverified.gguf', sha256Of(Buffer.from('x')))] };
  await writeFile(join(dir, 'catalog.json'), JSON.stringify(catalog));
  process.env.PINPOINT_CACHE_DIR = join(dir, 'cache');
  process.env.PINPOINT_MODEL_CATALOG = join(dir, 'catalog.json');
  process.env.NO_PROXY = '127.0.0.1';
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('list --json on an empty cache shows the catalog as available', async () => {
  const { code, stdout } = await run(['models', 'list', '--json']);
  assert.equal(code, EXIT_OK);
  const listing = JSON.parse(stdout);
  assert.deepEqual(listing.installed, []);
  assert.deepEqual(listing.available.map((m: { id: string }) => m.id), ['tiny', 'missing', 'unverified', 'corrupt']);
  assert.equal(listing.modelsFolder, join(dir, 'cache', 'models'));
});

test('pull draws a progress bar on a TTY, prints the path, and list shows the model', async () => {
  const { code, stdout, stderr } = await run(['models', 'pull', 'tiny'], { tty: true });
  assert.equal(code, EXIT_OK, stderr);
  assert.match(stderr, /^\rtiny \[[#.]{40}\] +\d+% [\d.]+ k?B \/ 32\.8 kB [\d.]+ k?B\/s ETA [-:\d]+\x1b\[K/);
  assert.ok(stderr.endsWith('\r\x1b[K'), 'the bar is erased at the end');
  assert.match(stdout, /^tiny: 32\.8 kB, sha256 verified\n.*cache\/models\/tiny\/tiny\.gguf\n$/);
  const listed = await run(['models', 'list']);
  assert.match(listed.stdout, /Installed in .*:\n  ID +KIND +SIZE +SOURCE\n  tiny +chat +32\.8 kB +catalog/);
  assert.match(listed.stdout, /Available in the catalog .*\n(.|\n)*missing +chat +32\.8 kB +~34\.8 kB +mit/);
  const again = JSON.parse((await run(['models', 'pull', 'tiny', '--json'])).stdout);
  assert.equal(again.alreadyInstalled, true);
});

test('no progress bar when stderr is not a TTY', async () => {
  await run(['models', 'rm', 'tiny']);
  const { code, stderr, stdout } = await run(['models', 'pull', 'tiny', '--json']);
  assert.equal(code, EXIT_OK);
  assert.equal(stderr, '');
  assert.equal(JSON.parse(stdout).files[0].verifiedBy, 'pinned-sha256');
});

test('pull failures exit with the network, integrity and cancel codes', async () => {
  const missing = await run(['models', 'pull', 'missing']);
  assert.equal(missing.code, EXIT_NETWORK);
  assert.match(missing.stderr, /pinpoint: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/missing\.gguf/);
  const corrupt = await run(['models', 'pull', 'corrupt']);
  assert.equal(corrupt.code, EXIT_INTEGRITY);
  assert.match(corrupt.stderr, /corrupt\.gguf: sha256 is [0-9a-f]{64} but [0-9a-f]{64} is expected/);
  const unverified = await run(['models', 'pull', 'unverified']);
  assert.equal(unverified.code, EXIT_INTEGRITY);
  assert.match(unverified.stderr, /refusing to download .*--insecure-no-checksum/);
  const insecure = await run(['models', 'pull', 'unverified', '--insecure-no-checksum']);
  assert.equal(insecure.code, EXIT_OK);
  assert.match(insecure.stdout, /UNVERIFIED: unverified\.gguf/);

  await run(['models', 'rm', 'tiny']);
  const controller = new AbortController();
  controller.abort();
  const cancelled = await run(['models', 'pull', 'tiny'], { signal: controller.signal });
  assert.equal(cancelled.code, EXIT_CANCELLED);
  assert.match(cancelled.stderr, /the partial download is kept; run "pinpoint models pull tiny" again to resume/);
});

test('import and rm, with --json', async () => {
  const file = join(dir, 'local.gguf');
  await writeFile(file, GGUF);
  const imported = await run(['models', 'import', file, '--id', 'mine', '--copy', '--json']);
  assert.equal(imported.code, EXIT_OK, imported.stderr);
  assert.deepEqual([JSON.parse(imported.stdout).id, JSON.parse(imported.stdout).source.mode], ['mine', 'copy']);
  const text = await run(['models', 'import', file]);
  assert.match(text.stdout, /^Imported .*local\.gguf as local \(chat, 32\.8 kB, (link|copy)\)\n/);
  const removed = await run(['models', 'rm', 'mine', '--json']);
  assert.equal(JSON.parse(removed.stdout).id, 'mine');
  assert.match((await run(['models', 'rm', 'local'])).stdout, /^Removed local \(/);
  const notModel = join(dir, 'notes.txt');
  await writeFile(notModel, 'plain text');
  const bad = await run(['models', 'import', notModel]);
  assert.equal(bad.code, EXIT_BAD_FILE);
  assert.match(bad.stderr, /notes\.txt: not a GGUF file/);
});

test('bad arguments exit 2 with a message naming what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [['models'], /Missing argument ACTION/],
    [['models', 'frob'], /Unknown action "frob" for "pinpoint models"\. Should be one of: list, pull, import, rm\./],
    [['models', 'pull'], /Missing argument for "pinpoint models pull": a catalog id/],
    [['models', 'list', 'x'], /"pinpoint models list" takes none/],
    [['models', 'pull', 'tiny', '--id', 'x'], /--id is only for "pinpoint models import"/],
    [['models', 'import', 'x.gguf', '--force'], /--force is only for "pinpoint models pull"/],
    [['models', 'pull', 'nope'], /Unknown model "nope"\. Should be one of: tiny, missing, unverified, corrupt\./],
    [['models', 'rm', 'nope'], /No model "nope" in /],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await run(args);
    assert.equal(code, EXIT_BAD_ARGUMENT, args.join(' '));
    assert.match(stderr, message, args.join(' '));
  }
});

test('progress bar text: percentage, bytes, rate, ETA; unknown totals; narrow terminals; throttled redraws', () => {
  assert.equal(renderProgressLine({ bytes: 250e6, total: 500e6, rate: 12.5e6, etaSeconds: 20 }, 100, 'qwen'), 'qwen [####################....................]  50% 250.0 MB / 500.0 MB 12.5 MB/s ETA 0:20');
  assert.equal(renderProgressLine({ bytes: 1500, rate: 100 }, 80, 'x'), 'x 1.5 kB 100 B/s');
  assert.ok(renderProgressLine({ bytes: 1, total: 2, rate: 1, etaSeconds: 1 }, 30, 'a-long-label').length <= 30);
  assert.deepEqual([formatBytes(999), formatBytes(1000), formatBytes(2.5e9)], ['999 B', '1.0 kB', '2.5 GB']);
  assert.deepEqual([formatDuration(5), formatDuration(65), formatDuration(3725), formatDuration(undefined), formatDuration(Infinity)], ['0:05', '1:05', '1:02:05', '--:--', '--:--']);

  let now = 0;
  const tty = sink(true);
  const bar = new ProgressBar(tty, 'm', 100, () => now);
  for (now = 0; now < 300; now += 10) bar.update({ bytes: now, total: 300, rate: 1 });
  assert.equal(tty.text().split('\r').length - 1, 3, 'redrawn at 0, 100 and 200 ms');
  bar.clear();
  assert.ok(tty.text().endsWith('\r\x1b[K'));
  const pipe = sink(false);
  new ProgressBar(pipe, 'm').update({ bytes: 1, total: 2, rate: 1 }, true);
  assert.equal(pipe.text(), '');
});
