import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secondsLeft, waitAfterPost, waitAfterRefusal, withSlowMode } from './postWait';

const NOW = 1_000_000;

test('a post under slow mode waits the interval; without slow mode, not at all', () => {
  assert.deepEqual(waitAfterPost(NOW, 300), { cause: 'slow_mode', until: NOW + 300_000, since: NOW });
  assert.equal(waitAfterPost(NOW, 0), null);
});

test('a refusal waits as long as the server says', () => {
  assert.deepEqual(waitAfterRefusal({ code: 'slow_mode', retryAfter: 287 }, NOW, 300), { cause: 'slow_mode', until: NOW + 287_000, since: NOW - 13_000 });
  // The refusal came before the page heard slow mode was on: when the post was is not known yet.
  assert.deepEqual(waitAfterRefusal({ code: 'slow_mode', retryAfter: 287 }, NOW, 0), { cause: 'slow_mode', until: NOW + 287_000, since: null });
  assert.deepEqual(waitAfterRefusal({ code: 'rate_limited', retryAfter: 12 }, NOW, 300), { cause: 'rate_limited', until: NOW + 12_000, since: null });
  assert.equal(waitAfterRefusal({ code: 'thread_locked' }, NOW, 300), null);
  assert.equal(waitAfterRefusal({ code: 'slow_mode' }, NOW, 300), null);
});

test('slow mode switched off releases the wait at once; another interval moves its end', () => {
  const wait = waitAfterPost(NOW, 300);
  assert.equal(withSlowMode(wait, 0), null);
  assert.deepEqual(withSlowMode(wait, 10), { cause: 'slow_mode', until: NOW + 10_000, since: NOW });
  assert.deepEqual(withSlowMode(wait, 900), { cause: 'slow_mode', until: NOW + 900_000, since: NOW });
  assert.deepEqual(withSlowMode(wait, 300), wait);
  assert.equal(withSlowMode(null, 300), null);
});

test('a refusal heard before the interval learns when the post was from the interval, then follows it', () => {
  const early = waitAfterRefusal({ code: 'slow_mode', retryAfter: 280 }, NOW, 0);
  const known = withSlowMode(early, 300);
  assert.deepEqual(known, { cause: 'slow_mode', until: NOW + 280_000, since: NOW - 20_000 });
  assert.deepEqual(withSlowMode(known, 30), { cause: 'slow_mode', until: NOW + 10_000, since: NOW - 20_000 });
  assert.equal(withSlowMode(known, 0), null);
});

test('a rate-limit wait is not slow mode’s to end', () => {
  const wait = waitAfterRefusal({ code: 'rate_limited', retryAfter: 12 }, NOW, 300);
  assert.equal(withSlowMode(wait, 0), wait);
});

test('seconds left round up and stop at zero', () => {
  const wait = waitAfterPost(NOW, 10);
  assert.equal(secondsLeft(wait, NOW), 10);
  assert.equal(secondsLeft(wait, NOW + 9_001), 1);
  assert.equal(secondsLeft(wait, NOW + 10_000), 0);
  assert.equal(secondsLeft(null, NOW), 0);
});
