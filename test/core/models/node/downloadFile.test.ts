// downloadFile against local servers on 127.0.0.1 serving generated fixture bytes: a verified
// download, resume after a cut connection and after a restart, a server that ignores Range, a
// changed file (If-Range), wrong checksums, HTTP errors and retries, a slow server with progress
// and cancel, stalls, server-declared checksums and a file already complete.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CancelledError } from '../../../../core/base/common/errors.js';
import { IntegrityError, NetworkError } from '../../../../core/models/common/downloadErrors.js';
import type { DownloadProgress } from '../../../../core/models/common/progress.js';
import { downloadFile, type DownloadOptions } from '../../../../core/models/node/downloadFile.js';
import { fixture, serveBytes, sha256Of, startServer, type Handler, type TestServer } from '../support/fixtureServer.js';

const FAST: DownloadOptions = { env: {}, retryDelayMs: 5, stallTimeoutMs: 3000, progressIntervalMs: 10 };
const { body, sha256 } = fixture(256 * 1024);
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pinpoint-download-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `fn` with a server on `handler`, then closes it. */
async function withServer(handler: Handler, fn: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await startServer(handler);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

function target(name: string): string {
  return join(dir, name);
}

test('downloads a file, verifies its pinned sha256 and leaves no .part behind', async () => {
  await withServer((req, res) => serveBytes(req, res, body, { etag: '"v1"' }), async (server) => {
    const events: DownloadProgress[] = [];
    const result = await downloadFile(`${server.origin}/model.gguf`, target('full.gguf'), { ...FAST, sha256, size: body.length, onProgress: (p) => events.push(p) });
    assert.equal(result.sha256, sha256);
    assert.equal(result.bytes, body.length);
    assert.equal(result.verifiedBy, 'pinned-sha256');
    assert.equal(result.resumedFrom, 0);
    assert.deepEqual(await readFile(target('full.gguf')), body);
    assert.ok(!existsSync(target('full.gguf.part')) && !existsSync(target('full.gguf.part.json')));
    assert.deepEqual(events.at(-1), { bytes: body.length, total: body.length, rate: events.at(-1)!.rate, etaSeconds: 0 });
    assert.equal(server.requests[0].headers['accept-encoding'], 'identity');
  });
});

test('resumes with Range + If-Range after the connection is cut mid-file', async () => {
  const handler: Handler = (req, res, i) => serveBytes(req, res, body, { etag: '"v1"', ...(i === 0 ? { cutAfter: 100_000 } : {}) });
  await withServer(handler, async (server) => {
    const result = await downloadFile(`${server.origin}/f`, target('cut.bin'), { ...FAST, sha256 });
    assert.equal(server.requests.length, 2);
    const range = /^bytes=(\d+)-$/.exec(server.requests[1].headers.range ?? '');
    assert.ok(range && Number(range[1]) > 0 && Number(range[1]) <= 100_000, `range ${server.requests[1].headers.range}`);
    assert.equal(server.requests[1].headers['if-range'], '"v1"');
    assert.equal(result.resumedFrom, Number(range[1]));
    assert.equal(result.attempts, 2);
    assert.equal(sha256Of(await readFile(target('cut.bin'))), sha256);
  });
});

test('resumes after a restart: a cancelled download keeps its .part and the next run continues it', async () => {
  const handler: Handler = (req, res) => serveBytes(req, res, body, { etag: '"v1"', chunkSize: 16 * 1024, chunkDelayMs: 15 });
  await withServer(handler, async (server) => {
    const controller = new AbortController();
    const first = downloadFile(`${server.origin}/f`, target('restart.bin'), {
      ...FAST, sha256, signal: controller.signal,
      onProgress: (p) => p.bytes >= 64 * 1024 && controller.abort(),
    });
    await assert.rejects(first, (error) => error instanceof CancelledError && /download of restart\.bin was cancelled/.test(error.message));
    const kept = (await stat(target('restart.bin.part'))).size;
    assert.ok(kept >= 64 * 1024 && kept < body.length, `kept ${kept}`);
    assert.ok(existsSync(target('restart.bin.part.json')));

    const second = await downloadFile(`${server.origin}/f`, target('restart.bin'), { ...FAST, sha256 });
    assert.equal(server.requests.at(-1)!.headers.range, `bytes=${kept}-`);
    assert.equal(server.requests.at(-1)!.headers['if-range'], '"v1"');
    assert.equal(second.resumedFrom, kept);
    assert.deepEqual(await readFile(target('restart.bin')), body);
  });
});

test('resumes a .part left on disk without saved state (Range without If-Range)', async () => {
  await writeFile(target('orphan.bin.part'), body.subarray(0, 5000));
  await withServer((req, res) => serveBytes(req, res, body), async (server) => {
    const result = await downloadFile(`${server.origin}/f`, target('orphan.bin'), { ...FAST, sha256 });
    assert.equal(server.requests[0].headers.range, 'bytes=5000-');
    assert.equal(server.requests[0].headers['if-range'], undefined);
    assert.equal(result.resumedFrom, 5000);
    assert.equal(result.sha256, sha256);
  });
});

test('starts from zero when the server ignores Range', async () => {
  await writeFile(target('ignore.bin.part'), Buffer.alloc(7000, 0xee));
  await withServer((req, res) => serveBytes(req, res, body, { ignoreRange: true }), async (server) => {
    const result = await downloadFile(`${server.origin}/f`, target('ignore.bin'), { ...FAST, sha256 });
    assert.equal(server.requests[0].headers.range, 'bytes=7000-');
    assert.equal(result.resumedFrom, 0);
    assert.deepEqual(await readFile(target('ignore.bin')), body);
  });
});

test('starts from zero when the file changed between attempts (If-Range validator no longer matches)', async () => {
  const v2 = fixture(200 * 1024);
  const handler: Handler = (req, res, i) => (i === 0 ? serveBytes(req, res, body, { etag: '"v1"', cutAfter: 50_000 }) : serveBytes(req, res, v2.body, { etag: '"v2"' }));
  await withServer(handler, async (server) => {
    const result = await downloadFile(`${server.origin}/f`, target('changed.bin'), { ...FAST, sha256: v2.sha256 });
    assert.equal(server.requests[1].headers['if-range'], '"v1"');
    assert.equal(result.resumedFrom, 0);
    assert.equal(result.sha256, v2.sha256);
  });
});

test('a wrong checksum is rejected and the partial file removed', async () => {
  await withServer((req, res) => serveBytes(req, res, body), async (server) => {
    const wrong = sha256Of(Buffer.from('something else'));
    await assert.rejects(downloadFile(`${server.origin}/f`, target('bad.bin'), { ...FAST, sha256: wrong }), (error) => {
      assert.ok(error instanceof IntegrityError);
      assert.match(error.message, new RegExp(`bad\\.bin: sha256 is ${sha256} but ${wrong} is expected`));
      assert.match(error.message, /the partial file was removed/);
      return true;
    });
    for (const name of ['bad.bin', 'bad.bin.part', 'bad.bin.part.json']) assert.ok(!existsSync(target(name)), name);
  });
});

test('a server-declared sha256 that differs from the pin fails before the body is read', async () => {
  const declared = sha256Of(Buffer.from('other'));
  await writeFile(target('declared.bin.part'), body.subarray(0, 100));
  await withServer((req, res) => serveBytes(req, res, body, { headers: { 'x-linked-etag': `"${declared}"` } }), async (server) => {
    await assert.rejects(downloadFile(`${server.origin}/f`, target('declared.bin'), { ...FAST, sha256 }), /declares sha256 [0-9a-f]{64} but [0-9a-f]{64} is expected/);
    assert.ok(!existsSync(target('declared.bin.part')));
  });
});

test('a size that differs from the expected one fails early', async () => {
  await withServer((req, res) => serveBytes(req, res, body), async (server) => {
    await assert.rejects(downloadFile(`${server.origin}/f`, target('size.bin'), { ...FAST, sha256, size: 12345 }), (error) => error instanceof IntegrityError && /is 262144 bytes but 12345 are expected/.test(error.message));
  });
});

test('404 fails at once with the status and the URL', async () => {
  await withServer((_req, res) => res.writeHead(404).end('nope'), async (server) => {
    await assert.rejects(downloadFile(`${server.origin}/missing.gguf`, target('404.bin'), { ...FAST, sha256 }), (error) => {
      assert.ok(error instanceof NetworkError && error.status === 404 && !error.retryable);
      assert.match(error.message, new RegExp(`HTTP 404 Not Found from ${server.origin}/missing\\.gguf`));
      return true;
    });
    assert.equal(server.requests.length, 1);
  });
});

test('500 is retried with backoff, then fails naming the attempts', async () => {
  await withServer((_req, res) => res.writeHead(500).end(), async (server) => {
    await assert.rejects(downloadFile(`${server.origin}/f`, target('500.bin'), { ...FAST, sha256, retries: 2 }), (error) => {
      assert.ok(error instanceof NetworkError && error.status === 500);
      assert.match(error.message, /failed after 3 attempts; last: HTTP 500 Internal Server Error/);
      return true;
    });
    assert.equal(server.requests.length, 3);
  });
});

test('503 then 200: the retry succeeds', async () => {
  const handler: Handler = (req, res, i) => (i < 2 ? res.writeHead(503, { 'retry-after': '0' }).end() : serveBytes(req, res, body));
  await withServer(handler, async (server) => {
    const result = await downloadFile(`${server.origin}/f`, target('503.bin'), { ...FAST, sha256 });
    assert.equal(result.attempts, 3);
    assert.equal(result.sha256, sha256);
  });
});

test('a slow server: progress events keep coming with a rate and an ETA', async () => {
  const small = fixture(48 * 1024);
  await withServer((req, res) => serveBytes(req, res, small.body, { chunkSize: 4096, chunkDelayMs: 15 }), async (server) => {
    const events: DownloadProgress[] = [];
    await downloadFile(`${server.origin}/f`, target('slow.bin'), { ...FAST, sha256: small.sha256, progressIntervalMs: 30, onProgress: (p) => events.push(p) });
    assert.ok(events.length >= 4, `${events.length} events`);
    for (let i = 1; i < events.length; i++) assert.ok(events[i].bytes >= events[i - 1].bytes);
    const middle = events.filter((e) => e.bytes > 0 && e.bytes < small.body.length);
    assert.ok(middle.some((e) => e.rate > 0 && e.etaSeconds !== undefined && e.etaSeconds > 0));
  });
});

test('a stalled connection times out and the retry resumes', async () => {
  const handler: Handler = (req, res, i) => serveBytes(req, res, body, { etag: '"v1"', ...(i === 0 ? { stallAfter: 30_000 } : {}) });
  await withServer(handler, async (server) => {
    const started = Date.now();
    const result = await downloadFile(`${server.origin}/f`, target('stall.bin'), { ...FAST, sha256, stallTimeoutMs: 200 });
    assert.ok(Date.now() - started < 2500);
    assert.equal(server.requests[1].headers.range, 'bytes=30000-');
    assert.equal(result.sha256, sha256);
  });
});

test('a server that never answers times out and fails after the retries', async () => {
  await withServer(() => undefined, async (server) => {
    await assert.rejects(downloadFile(`${server.origin}/f`, target('silent.bin'), { ...FAST, sha256, stallTimeoutMs: 100, retries: 1 }), /failed after 2 attempts; last: no response from .* within 0\.1 s/);
  });
});

test('follows redirects and verifies with the sha256 the first hop declares (X-Linked-ETag)', async () => {
  const handler: Handler = (req, res) => {
    if (req.url === '/resolve/main/model.gguf') res.writeHead(302, { location: '/cdn/abc', 'x-linked-etag': `"${sha256}"`, 'x-linked-size': String(body.length) }).end();
    else if (req.url === '/cdn/abc') res.writeHead(307, { location: `/cdn/final?sig=1` }).end();
    else serveBytes(req, res, body, { etag: '"cdn-tag"' });
  };
  await withServer(handler, async (server) => {
    const result = await downloadFile(`${server.origin}/resolve/main/model.gguf`, target('redirect.bin'), FAST);
    assert.equal(result.verifiedBy, 'server-sha256');
    assert.deepEqual(server.requests.map((r) => r.url), ['/resolve/main/model.gguf', '/cdn/abc', '/cdn/final?sig=1']);
  });
});

test('too many redirects fail', async () => {
  await withServer((req, res) => res.writeHead(302, { location: `${req.url}x` }).end(), async (server) => {
    await assert.rejects(downloadFile(`${server.origin}/r`, target('loop.bin'), { ...FAST, sha256, maxRedirects: 3 }), /too many redirects: more than 3 starting at/);
    assert.equal(server.requests.length, 4);
  });
});

test('without a pinned or declared checksum the download is refused, unless allowed unverified', async () => {
  await withServer((req, res) => serveBytes(req, res, body, { etag: '"not-a-hash"' }), async (server) => {
    await assert.rejects(downloadFile(`${server.origin}/f`, target('unverified.bin'), FAST), (error) => error instanceof IntegrityError && /refusing to download .*--insecure-no-checksum/.test(error.message));
    assert.ok(!existsSync(target('unverified.bin.part')));
    const result = await downloadFile(`${server.origin}/f`, target('unverified.bin'), { ...FAST, allowUnverified: true });
    assert.equal(result.verifiedBy, 'none');
    assert.equal(result.sha256, sha256);
  });
});

test("a small file is verified with Hugging Face's git blob id (ETag next to X-Repo-Commit)", async () => {
  const json = Buffer.from('{"model_type": "bert"}\n');
  const blob = (bytes: Buffer): string => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  const handler: Handler = (req, res) => serveBytes(req, res, json, { etag: `"${blob(req.url === '/bad' ? Buffer.from('x') : json)}"`, headers: { 'x-repo-commit': 'abc123' } });
  await withServer(handler, async (server) => {
    const result = await downloadFile(`${server.origin}/config.json`, target('config.json'), FAST);
    assert.equal(result.verifiedBy, 'server-git-blob');
    await assert.rejects(downloadFile(`${server.origin}/bad`, target('bad.json'), FAST), /git blob id is [0-9a-f]{40} but the server declared/);
  });
});

test('a .part that is already complete is finished with the server answering 416', async () => {
  await writeFile(target('done.bin.part'), body);
  await withServer((req, res) => serveBytes(req, res, body), async (server) => {
    const result = await downloadFile(`${server.origin}/f`, target('done.bin'), { ...FAST, sha256 });
    assert.equal(server.requests[0].headers.range, `bytes=${body.length}-`);
    assert.equal(result.bytes, body.length);
    assert.equal(result.sha256, sha256);
  });
});

test('bad arguments are rejected before any request', async () => {
  await assert.rejects(downloadFile('ftp://example.com/x', target('x'), FAST), /Unsupported URL scheme/);
  await assert.rejects(downloadFile('not a url', target('x'), FAST), /Not a URL/);
  await assert.rejects(downloadFile('http://127.0.0.1:9/x', target('x'), { ...FAST, sha256: 'abc' }), /Invalid sha256 "abc"/);
});
