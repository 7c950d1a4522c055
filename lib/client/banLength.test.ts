import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BAN_LENGTHS, banUntil, DEFAULT_BAN_LENGTH } from './banLength';

test('a ban of N days ends N × 24 hours after it is given; one for good has no end', () => {
  const now = Date.parse('2026-03-28T12:30:00.000Z');
  assert.equal(banUntil(1, now), '2026-03-29T12:30:00.000Z');
  assert.equal(banUntil(7, now), '2026-04-04T12:30:00.000Z');
  assert.equal(banUntil(30, now), '2026-04-27T12:30:00.000Z');
  assert.equal(banUntil('forGood', now), undefined);
});

test('the default length is one of those offered', () => {
  assert.ok(BAN_LENGTHS.includes(DEFAULT_BAN_LENGTH));
});
