import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorKey } from './authorKey';

test('an author key is the same for one person every time, differs between people, and does not show the id', () => {
  const key = authorKey('abc123def456');
  assert.equal(authorKey('abc123def456'), key);
  assert.notEqual(authorKey('abc123def457'), key);
  assert.match(key, /^[A-Za-z0-9_-]{12}$/);
  assert.ok(!key.includes('abc123'));
});
