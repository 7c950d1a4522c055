import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockOf, MAX_POLL_MS, nextPollDelay, POLL_MS, waitText } from './figures';

test('polling backs off by doubling while the server does not answer, and is back to normal at the first answer', () => {
  let delay = POLL_MS;
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) waits.push((delay = nextPollDelay(delay, false)));
  assert.deepEqual(waits, [10_000, 20_000, 40_000, MAX_POLL_MS, MAX_POLL_MS, MAX_POLL_MS]);
  assert.equal(nextPollDelay(delay, true), POLL_MS);
});

test('a wait reads in seconds, minutes or hours', () => {
  assert.deepEqual(waitText(0.4), { key: 'pulse.seconds', n: 0 });
  assert.deepEqual(waitText(119), { key: 'pulse.seconds', n: 119 });
  assert.deepEqual(waitText(150), { key: 'pulse.minutes', n: 3 });
  assert.deepEqual(waitText(7200), { key: 'pulse.hours', n: 2 });
  assert.deepEqual(waitText(9000), { key: 'pulse.hours', n: 2.5 });
  assert.equal(clockOf('2026-12-06T09:05'), '09:05');
});
