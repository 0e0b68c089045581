// Which proxy a URL uses: scheme-specific and ALL_PROXY variables, lowercase first, NO_PROXY
// entries (*, hosts, domains, host:port, IPv6), credentials from the userinfo, bad settings.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bypassesProxy, proxyForUrl } from '../../../../core/models/common/proxy.js';

const url = (s: string): URL => new URL(s);

test('the variable for the scheme, then ALL_PROXY; lowercase before uppercase', () => {
  assert.equal(proxyForUrl(url('https://huggingface.co/x'), { HTTPS_PROXY: 'http://p:3128' })?.url.href, 'http://p:3128/');
  assert.equal(proxyForUrl(url('https://huggingface.co/x'), { HTTP_PROXY: 'http://p:3128' }), undefined);
  assert.equal(proxyForUrl(url('http://example.com/x'), { HTTP_PROXY: 'http://p:1' })?.url.host, 'p:1');
  assert.equal(proxyForUrl(url('http://example.com/x'), { ALL_PROXY: 'http://all:2' })?.url.host, 'all:2');
  assert.equal(proxyForUrl(url('https://example.com/x'), { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })?.url.host, 'lower:1');
  assert.equal(proxyForUrl(url('https://example.com/x'), { HTTPS_PROXY: 'proxy.local:8080' })?.url.host, 'proxy.local:8080', 'a bare host:port means http://');
  assert.equal(proxyForUrl(url('https://example.com/x'), {}), undefined);
  assert.equal(proxyForUrl(url('https://example.com/x'), { HTTPS_PROXY: '  ' }), undefined);
});

test('credentials in the proxy URL become a Basic Proxy-Authorization', () => {
  const proxy = proxyForUrl(url('https://example.com/'), { HTTPS_PROXY: 'http://us%20er:p%40ss@p:1' });
  assert.equal(proxy?.authorization, `Basic ${Buffer.from('us er:p@ss').toString('base64')}`);
  assert.equal(proxy?.url.href, 'http://p:1/', 'the credentials are not left in the URL');
  assert.equal(proxyForUrl(url('https://example.com/'), { HTTPS_PROXY: 'http://p:1' })?.authorization, undefined);
});

test('NO_PROXY: *, hosts, domains with or without a leading dot, ports, IPs', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'https://huggingface.co/', true],
    ['huggingface.co', 'https://huggingface.co/', true],
    ['huggingface.co', 'https://cdn-lfs.huggingface.co/', true],
    ['.huggingface.co', 'https://huggingface.co/', true],
    ['*.huggingface.co', 'https://cdn.huggingface.co/', true],
    ['face.co', 'https://huggingface.co/', false],
    ['example.com, huggingface.co', 'https://huggingface.co/', true],
    ['example.com huggingface.co', 'https://huggingface.co/', true],
    ['huggingface.co:443', 'https://huggingface.co/', true],
    ['huggingface.co:8443', 'https://huggingface.co/', false],
    ['localhost:8080', 'http://localhost:8080/', true],
    ['127.0.0.1', 'http://127.0.0.1:5000/', true],
    ['[::1]:5000', 'http://[::1]:5000/', true],
    ['::1', 'http://[::1]:5000/', true],
    ['HuggingFace.CO.', 'https://huggingface.co/', true],
    ['', 'https://huggingface.co/', false],
  ];
  for (const [noProxy, target, bypass] of cases) {
    assert.equal(bypassesProxy(url(target), { NO_PROXY: noProxy }), bypass, `NO_PROXY=${noProxy} ${target}`);
  }
  assert.equal(proxyForUrl(url('https://huggingface.co/'), { HTTPS_PROXY: 'http://p:1', no_proxy: 'huggingface.co' }), undefined);
});

test('a proxy setting that is not an http URL is named in the error', () => {
  assert.throws(() => proxyForUrl(url('https://example.com/'), { HTTPS_PROXY: 'socks5://p:1080' }), /unsupported proxy "socks5:\/\/p:1080"/);
  assert.throws(() => proxyForUrl(url('https://example.com/'), { HTTPS_PROXY: 'http://[bad' }), /"http:\/\/\[bad" \(HTTPS_PROXY or ALL_PROXY\) is not a URL/);
});
