import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from './ids';

test('ids are 12 base-36 characters and do not repeat across refills of the random pool', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = newId();
    assert.match(id, /^[0-9a-z]{12}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 5000);
});
