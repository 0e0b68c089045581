// Content-Range parsing, If-Range validators and the checksums a server declares.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declaredDigest, ifRangeValue, parseContentRange, unsatisfiedRangeTotal, validatorsOf } from '../../../../core/models/common/httpHeaders.js';

const SHA = 'a'.repeat(64);
const SHA1 = 'b'.repeat(40);

test('Content-Range', () => {
  assert.deepEqual(parseContentRange('bytes 100-199/1000'), { start: 100, end: 199, total: 1000 });
  assert.deepEqual(parseContentRange('bytes 0-0/*'), { start: 0, end: 0, total: undefined });
  for (const bad of [undefined, '', 'bytes 5-4/10', 'bytes 0-10/10', 'items 0-1/2', 'bytes */10']) assert.equal(parseContentRange(bad), undefined, String(bad));
  assert.equal(unsatisfiedRangeTotal('bytes */1000'), 1000);
  assert.equal(unsatisfiedRangeTotal('bytes 0-1/2'), undefined);
});

test('validators: a strong ETag, else Last-Modified; weak ETags are not usable in If-Range', () => {
  assert.equal(ifRangeValue(validatorsOf({ etag: '"x"', 'last-modified': 'Tue, 01 Oct 2024 00:00:00 GMT' })), '"x"');
  assert.equal(ifRangeValue(validatorsOf({ etag: 'W/"x"', 'last-modified': 'Tue, 01 Oct 2024 00:00:00 GMT' })), 'Tue, 01 Oct 2024 00:00:00 GMT');
  assert.equal(ifRangeValue(validatorsOf({})), undefined);
});

test('declared checksums: X-Linked-ETag on any hop, the first hop ETag, git blob ids only from Hugging Face', () => {
  assert.deepEqual(declaredDigest([{ 'x-linked-etag': `"${SHA}"`, etag: `"${SHA1}"` }, { etag: '"cdn"' }]), { sha256: SHA });
  assert.deepEqual(declaredDigest([{}, { 'x-linked-etag': SHA.toUpperCase() }]), { sha256: SHA });
  assert.deepEqual(declaredDigest([{ etag: `W/"${SHA}"` }]), { sha256: SHA });
  assert.deepEqual(declaredDigest([{ location: '/cdn' }, { etag: `"${SHA}"` }]), {}, "a CDN's ETag is not a checksum");
  assert.deepEqual(declaredDigest([{ etag: `"${SHA1}"`, 'x-repo-commit': 'c0ffee' }]), { gitBlobSha1: SHA1 });
  assert.deepEqual(declaredDigest([{ etag: `"${SHA1}"` }]), {}, 'a 40-hex ETag elsewhere is not a git blob id');
  assert.deepEqual(declaredDigest([]), {});
});
