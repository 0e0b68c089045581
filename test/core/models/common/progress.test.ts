// The rate meter's sliding window and the reporter's throttling, ETA and final event.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressReporter, RateMeter, type DownloadProgress } from '../../../../core/models/common/progress.js';

test('the rate covers the last window only, so a stall shows as a falling rate', () => {
  const meter = new RateMeter(1000);
  for (let t = 0; t <= 2000; t += 100) meter.sample(t, t * 10); // 10 000 B/s
  assert.equal(Math.round(meter.rate(2000)), 10_000);
  assert.ok(meter.rate(4000) < 5000, 'no bytes for two seconds');
  meter.sample(4100, 0); // restarted from zero
  assert.equal(meter.rate(4100), 0);
});

test('events are throttled to the interval; forced ones always go; ETA from the rate', () => {
  let now = 0;
  const events: DownloadProgress[] = [];
  const reporter = new ProgressReporter((p) => events.push(p), 100, () => now);
  reporter.update(0, 1000, true);
  for (now = 10; now <= 200; now += 10) reporter.update(now * 2, 1000);
  assert.equal(events.length, 3, 'at 0, 100 and 200 ms');
  assert.deepEqual(events[2], { bytes: 400, total: 1000, rate: 2000, etaSeconds: 0.3 });
  now = 250;
  reporter.tick();
  assert.equal(events.length, 3, 'tick waits for the interval');
  now = 300;
  reporter.tick();
  assert.equal(events.length, 4);
  reporter.update(1000, 1000, true);
  assert.equal(events.at(-1)!.etaSeconds, 0);
  reporter.update(5, undefined, true);
  assert.equal(events.at(-1)!.etaSeconds, undefined);
});
