import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparePicks, isPick, picksAmong, type PickCandidate } from './picks';

const c = (seq: number, fields: Partial<PickCandidate> = {}): PickCandidate & { id: string } => ({ id: `c${seq}`, status: 'visible', pinned: true, seq, ...fields });

test('only a visible, featured comment is a pick: removed, deleted, held or unfeatured ones are not', () => {
  assert.equal(isPick(c(1)), true);
  for (const status of ['removed', 'deleted', 'pending', 'unavailable']) assert.equal(isPick(c(1, { status })), false, status);
  assert.equal(isPick(c(1, { pinned: false })), false);
});

test('newest pick first, whatever the comments’ own order; picks of unknown time last, oldest comment first', () => {
  const picks = picksAmong([
    c(1, { pick: { at: '2026-12-01T10:00:00.000Z' } }),
    c(2, { pick: null }),
    c(3, { pick: { at: '2026-12-01T12:00:00.000Z' } }),
    c(4, { status: 'removed', pick: { at: '2026-12-01T13:00:00.000Z' } }),
    c(5),
    c(6, { pinned: false, pick: { at: '2026-12-01T14:00:00.000Z' } }),
  ]);
  assert.deepEqual(picks.map((p) => p.id), ['c3', 'c1', 'c2', 'c5']);
  assert.equal(comparePicks(c(7), c(7)), 0);
});
