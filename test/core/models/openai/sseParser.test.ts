// SseParser: the same events whatever the split of the bytes (inside UTF-8 characters, lines,
// CRLF), with CR/LF/CRLF line ends, comments, multi-line data, ignored fields, a BOM, the last
// unterminated event delivered at the end, and a limit on an event's length.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseLimitError, SseParser } from '../../../../core/models/openai/common/sseParser.js';

const encoder = new TextEncoder();

/** A stream using every feature, and the data of its events. */
const STREAM =
  '\uFEFF: ping\r\n' +
  'event: message\r\nid: 1\r\ndata: {"t":"héllo 😀 世界"}\r\n\r\n' +
  'data: line one\rdata:line two\r\rretry: 100\n' +
  'data:  two spaces\nunknown: field\n\n' +
  ': comment only\n\n' +
  'data\n\n' +
  'data: {"last":"日本"}\r\n\r\n';
const EVENTS = ['{"t":"héllo 😀 世界"}', 'line one\nline two', ' two spaces', '', '{"last":"日本"}'];

function parseAll(pieces: readonly Uint8Array[]): string[] {
  const parser = new SseParser();
  const out: string[] = [];
  for (const piece of pieces) out.push(...parser.push(piece));
  out.push(...parser.end());
  return out;
}

test('a stream in one piece gives every event', () => {
  assert.deepEqual(parseAll([encoder.encode(STREAM)]), EVENTS);
});

test('every split into two pieces gives the same events (inside UTF-8 characters, lines and CRLF)', () => {
  const bytes = encoder.encode(STREAM);
  for (let at = 0; at <= bytes.length; at++) {
    assert.deepEqual(parseAll([bytes.subarray(0, at), bytes.subarray(at)]), EVENTS, `split at byte ${at}`);
  }
});

test('byte-by-byte and three-way splits give the same events', () => {
  const bytes = encoder.encode(STREAM);
  assert.deepEqual(parseAll(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))), EVENTS);
  for (let a = 1; a < bytes.length; a += 7) {
    for (let b = a; b < bytes.length; b += 5) {
      assert.deepEqual(parseAll([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]), EVENTS, `split at ${a} and ${b}`);
    }
  }
});

test('events come out as soon as their blank line arrives', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push(encoder.encode('data: a\n')), []);
  assert.deepEqual(parser.push(encoder.encode('\ndata: b\n\nda')), ['a', 'b']);
  assert.deepEqual(parser.push(encoder.encode('ta: c\r')), []);
  assert.deepEqual(parser.push(encoder.encode('\r')), ['c']);
  assert.deepEqual(parser.end(), []);
});

test('the last event without a blank line is delivered at the end; blank lines alone give nothing', () => {
  assert.deepEqual(parseAll([encoder.encode('\n\n\r\n: x\n\ndata: [DONE]')]), ['[DONE]']);
  assert.deepEqual(parseAll([encoder.encode('data: [DONE]\n')]), ['[DONE]']);
  assert.deepEqual(parseAll([encoder.encode('\n\n\n')]), []);
});

test('an event longer than the limit throws SseLimitError', () => {
  const parser = new SseParser(100);
  assert.deepEqual(parser.push(encoder.encode(`data: ${'x'.repeat(50)}\n\n`)), ['x'.repeat(50)]);
  assert.throws(() => parser.push(encoder.encode(`data: ${'x'.repeat(200)}`)), SseLimitError);
  const lines = new SseParser(100);
  assert.throws(() => lines.push(encoder.encode('data: 0123456789\n'.repeat(10))), SseLimitError);
});
