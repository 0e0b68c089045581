// Bytes to text: byte-order marks, the Latin-1 fallback, binary sniffing, minified bundles.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnparsableFileError } from '../../../../../core/rag/ingest/common/skips.js';
import { decodeText, lineCount, looksBinary, looksMinified } from '../../../../../core/rag/ingest/common/textDecoding.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

test('UTF-8 decodes as is; a UTF-8 byte-order mark is dropped; CRLF and CR become LF', () => {
  assert.deepEqual(decodeText(utf8('héllo\r\nwörld\rend')), { text: 'héllo\nwörld\nend', encoding: 'utf-8' });
  assert.deepEqual(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('x')])), { text: 'x', encoding: 'utf-8' });
});

test('UTF-16 LE and BE with a byte-order mark decode, though their bytes hold NULs', () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße\r\nzwei', 'utf16le')]);
  const be = Buffer.from(le.subarray(2)).swap16();
  assert.deepEqual(decodeText(new Uint8Array(le)), { text: 'Grüße\nzwei', encoding: 'utf-16le' });
  assert.deepEqual(decodeText(new Uint8Array([0xfe, 0xff, ...be])), { text: 'Grüße\nzwei', encoding: 'utf-16be' });
  assert.equal(looksBinary(new Uint8Array(le)), false);
});

test('invalid UTF-8 falls back to Latin-1 (windows-1252) and says so', () => {
  // "café résumé" in Latin-1: é is 0xe9, invalid as UTF-8 here.
  const latin1 = new Uint8Array(Buffer.from('café résumé — naïve', 'latin1'));
  const decoded = decodeText(latin1);
  assert.equal(decoded.encoding, 'latin1');
  assert.equal(decoded.text.slice(0, 11), 'café résumé');
});

test('binary content is refused by the decoder with reason "binary"', () => {
  const cases = [
    bytes(0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00), // ELF header with NULs
    new Uint8Array(Array.from({ length: 4096 }, (_, i) => 1 + ((i * 37 + 11) % 30))), // control characters, no NUL
    new Uint8Array(Array.from({ length: 4096 }, (_, i) => 0x80 + ((i * 7919) % 127))), // high bytes, not UTF-8
  ];
  for (const input of cases) {
    assert.equal(looksBinary(input), true);
    assert.throws(() => decodeText(input), (e: unknown) => e instanceof UnparsableFileError && e.skipReason === 'binary');
  }
});

test('a head cut inside a multi-byte character still reads as text', () => {
  const text = utf8('€'.repeat(3000));
  assert.equal(looksBinary(text.subarray(0, 8191), true), false);
});

test('minified code: lines of hundreds of characters on average', () => {
  assert.equal(looksMinified(utf8(`var a=1;${'b(c,d);'.repeat(1000)}`)), true);
  assert.equal(looksMinified(utf8('const a = 1;\n'.repeat(400))), false);
});

test('lineCount counts a last line without a newline, and not an empty one after it', () => {
  assert.deepEqual(['', 'a', 'a\n', 'a\nb', 'a\nb\n', '\n\n'].map(lineCount), [0, 1, 1, 2, 2, 2]);
});
