import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Badge } from '../domain/identity';
import { createBadgeDirectory } from './badgeDirectory';

test('the directory answers from memory, and tells its listeners only when the badges changed', async () => {
  let accounts: { id: string; badges: Badge[] }[] = [{ id: 'ann', badges: ['journalist'] }];
  let reads = 0;
  const directory = createBadgeDirectory({
    read: async () => {
      reads++;
      return accounts;
    },
    refreshMs: 60_000,
  });
  try {
    let changes = 0;
    directory.onChange(() => changes++);
    await directory.refresh();
    assert.deepEqual(directory.of('ann'), ['journalist']);
    assert.equal(directory.of('bob'), undefined);
    assert.equal(changes, 1, 'from empty to one badged account');

    await directory.refresh();
    assert.equal(changes, 1, 'the same badges again: the kept pages stay');

    accounts = [{ id: 'ann', badges: ['journalist', 'expert'] }, { id: 'bob', badges: [] }];
    await directory.refresh();
    assert.equal(changes, 2);
    assert.deepEqual(directory.of('ann'), ['journalist', 'expert']);
    assert.equal(directory.of('bob'), undefined, 'no badges is no entry');
    assert.ok(reads >= 3);
  } finally {
    directory.close();
  }
});
