// Downloads through a local proxy: http targets as absolute-URI requests, https targets through a
// CONNECT tunnel to a local TLS server (self-signed certificate made at test time), NO_PROXY
// bypassing the proxy, Basic proxy credentials from the proxy URL, 407 without them, and https to
// http redirects refused.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NetworkError } from '../../../../core/models/common/downloadErrors.js';
import { downloadFile, type DownloadOptions } from '../../../../core/models/node/downloadFile.js';
import { fixture, serveBytes, startServer, type TestServer } from '../support/fixtureServer.js';
import { startProxy } from '../support/proxyServer.js';
import { selfSignedCertificate } from '../support/selfSignedCert.js';

const FAST: DownloadOptions = { retryDelayMs: 5, stallTimeoutMs: 3000, retries: 0 };
const { body, sha256 } = fixture(96 * 1024);
const tls = selfSignedCertificate();
let dir: string;
let plain: TestServer;
let secure: TestServer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pinpoint-proxy-'));
  plain = await startServer((req, res) => serveBytes(req, res, body));
  secure = await startServer((req, res) => {
    if (req.url === '/downgrade') res.writeHead(302, { location: `${plain.origin}/file` }).end();
    else serveBytes(req, res, body);
  }, tls);
});
after(async () => {
  await plain.close();
  await secure.close();
  await rm(dir, { recursive: true, force: true });
});

test('https download from a TLS server trusted through `ca`', async () => {
  const result = await downloadFile(`${secure.origin}/file`, join(dir, 'tls.bin'), { ...FAST, env: {}, sha256, ca: tls.cert });
  assert.equal(result.sha256, sha256);
});

test('an untrusted certificate fails without retrying', async () => {
  await assert.rejects(downloadFile(`${secure.origin}/file`, join(dir, 'untrusted.bin'), { ...FAST, env: {}, sha256, retries: 2 }), (error) => {
    assert.ok(error instanceof NetworkError && !error.retryable);
    assert.match(error.message, /self-signed certificate/);
    return true;
  });
});

test('a redirect from https to http is refused', async () => {
  const before = plain.requests.length;
  await assert.rejects(downloadFile(`${secure.origin}/downgrade`, join(dir, 'down.bin'), { ...FAST, env: {}, sha256, ca: tls.cert }), (error) => {
    assert.ok(error instanceof NetworkError && !error.retryable);
    assert.match(error.message, new RegExp(`refused redirect from ${secure.origin}/downgrade to ${plain.origin}/file: it would continue over unencrypted http`));
    return true;
  });
  assert.equal(plain.requests.length, before, 'the http server was never asked');
});

test('an http URL goes through HTTP_PROXY as an absolute-URI request', async () => {
  const proxy = await startProxy();
  try {
    const result = await downloadFile(`${plain.origin}/via-proxy`, join(dir, 'proxied.bin'), { ...FAST, env: { HTTP_PROXY: proxy.url }, sha256 });
    assert.equal(result.sha256, sha256);
    assert.deepEqual(proxy.log.map((l) => l.line), [`GET ${plain.origin}/via-proxy`]);
  } finally {
    await proxy.close();
  }
});

test('an https URL goes through https_proxy with a CONNECT tunnel and TLS end to end', async () => {
  const proxy = await startProxy();
  try {
    const result = await downloadFile(`${secure.origin}/tunnel`, join(dir, 'tunnel.bin'), { ...FAST, env: { https_proxy: proxy.url }, sha256, ca: tls.cert });
    assert.deepEqual(await readFile(result.path), body);
    assert.deepEqual(proxy.log.map((l) => l.line), [`CONNECT 127.0.0.1:${secure.port}`]);
  } finally {
    await proxy.close();
  }
});

test('NO_PROXY bypasses the proxy for matching hosts', async () => {
  const proxy = await startProxy();
  try {
    for (const noProxy of ['127.0.0.1', `127.0.0.1:${plain.port}`, '*']) {
      await downloadFile(`${plain.origin}/direct`, join(dir, 'direct.bin'), { ...FAST, env: { ALL_PROXY: proxy.url, NO_PROXY: noProxy }, sha256 });
    }
    assert.deepEqual(proxy.log, []);
    await downloadFile(`${plain.origin}/other-port`, join(dir, 'direct.bin'), { ...FAST, env: { ALL_PROXY: proxy.url, NO_PROXY: '127.0.0.1:1' }, sha256 });
    assert.equal(proxy.log.length, 1, 'a NO_PROXY entry for another port does not match');
  } finally {
    await proxy.close();
  }
});

test('proxy credentials from the proxy URL are sent for forwarded requests and CONNECT', async () => {
  const proxy = await startProxy('me:p@ss word');
  try {
    const withAuth = proxy.url.replace('http://', 'http://me:p%40ss%20word@');
    await downloadFile(`${plain.origin}/auth`, join(dir, 'auth1.bin'), { ...FAST, env: { HTTP_PROXY: withAuth }, sha256 });
    await downloadFile(`${secure.origin}/auth`, join(dir, 'auth2.bin'), { ...FAST, env: { HTTPS_PROXY: withAuth }, sha256, ca: tls.cert });
    const expected = `Basic ${Buffer.from('me:p@ss word').toString('base64')}`;
    assert.deepEqual(proxy.log.map((l) => l.authorization), [expected, expected]);
  } finally {
    await proxy.close();
  }
});

test('a proxy that wants credentials gives a 407 error naming the proxy', async () => {
  const proxy = await startProxy('me:secret');
  try {
    for (const [url, env] of [[`${plain.origin}/x`, { HTTP_PROXY: proxy.url }], [`${secure.origin}/x`, { HTTPS_PROXY: proxy.url }]] as const) {
      await assert.rejects(downloadFile(url, join(dir, 'denied.bin'), { ...FAST, env, sha256, ca: tls.cert }), (error) => {
        assert.ok(error instanceof NetworkError && error.status === 407 && !error.retryable);
        assert.match(error.message, new RegExp(`proxy 127\\.0\\.0\\.1:\\d+ requires a user name and password`));
        return true;
      });
    }
  } finally {
    await proxy.close();
  }
});

test('a proxy URL of another scheme is named in the error', async () => {
  await assert.rejects(downloadFile(`${plain.origin}/x`, join(dir, 'socks.bin'), { ...FAST, env: { ALL_PROXY: 'socks5://127.0.0.1:1080' }, sha256 }), /unsupported proxy "socks5:\/\/127\.0\.0\.1:1080"/);
});
