import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CappedMap } from './cappedMap';

test('a capped map forgets everything when a new key would pass its limit, and never holds more', () => {
  const map = new CappedMap<string, number>(3);
  map.set('a', 1).set('b', 2).set('c', 3);
  map.set('b', 20);
  assert.deepEqual([...map], [['a', 1], ['b', 20], ['c', 3]], 'a known key is updated in place');
  map.set('d', 4);
  assert.deepEqual([...map], [['d', 4]]);
  for (let i = 0; i < 10; i++) map.set(`k${i}`, i);
  assert.ok(map.size <= 3);
});
