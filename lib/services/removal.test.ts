import assert from 'node:assert/strict';
import { test } from 'node:test';
import { removalDetails, removedFrom } from './removal';

test('what a removal records is what its undo reads back', () => {
  for (const comment of [
    { status: 'visible', pinned: false },
    { status: 'visible', pinned: true },
    { status: 'pending', pinned: false },
  ] as const) {
    const stored = JSON.parse(JSON.stringify(removalDetails(comment))) as Record<string, unknown>;
    assert.deepEqual(removedFrom(stored), comment);
  }
});

test('a removal with nothing recorded (older, or imported) is undone as a restore: visible, not pinned', () => {
  for (const details of [undefined, {}, { was: null }, { was: 'visible' }, { was: { status: 'removed', pinned: 'yes' } }]) {
    assert.deepEqual(removedFrom(details), { status: 'visible', pinned: false }, JSON.stringify(details));
  }
});
