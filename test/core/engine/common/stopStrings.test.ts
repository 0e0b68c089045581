// StopStringMatcher: text is held back while it may start a stop string and cut where one ends.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StopStringMatcher } from '../../../../core/engine/common/stopStrings.js';

function feed(stops: string[], pieces: string[]): { out: string; stopped: boolean } {
  const m = new StopStringMatcher(stops);
  let out = '';
  for (const piece of pieces) {
    const { emit, stopped } = m.push(piece);
    out += emit;
    if (stopped) return { out, stopped };
  }
  return { out: out + m.flush(), stopped: false };
}

test('no stop strings: everything passes through at once', () => {
  const m = new StopStringMatcher([]);
  assert.deepEqual(m.push('abc'), { emit: 'abc', stopped: false });
});

test('a stop string split over pieces is cut, and never emitted', () => {
  const m = new StopStringMatcher(['</s>']);
  assert.deepEqual(m.push('hello <'), { emit: 'hello ', stopped: false });
  assert.deepEqual(m.push('/'), { emit: '', stopped: false });
  assert.deepEqual(m.push('s> tail'), { emit: '', stopped: true });
});

test('a false start is released once it cannot be a stop string', () => {
  assert.deepEqual(feed(['STOP'], ['a S', 'T', 'x b']), { out: 'a STx b', stopped: false });
});

test('the earliest of several stop strings wins', () => {
  assert.deepEqual(feed(['world', 'lo'], ['hello world']), { out: 'hel', stopped: true });
});

test('held-back text is released by flush at the end', () => {
  const m = new StopStringMatcher(['\n\n']);
  assert.deepEqual(m.push('end\n'), { emit: 'end', stopped: false });
  assert.equal(m.flush(), '\n');
});
