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

test('remembered reads a key once, and reads again what it did not find', async () => {
  const map = new CappedMap<string, number>(3);
  const reads: string[] = [];
  const read = (key: string, value: number | undefined) => () => {
    reads.push(key);
    return Promise.resolve(value);
  };
  assert.equal(await map.remembered('a', read('a', 1)), 1);
  assert.equal(await map.remembered('a', read('a', 2)), 1, 'known: not read again');
  assert.equal(await map.remembered('gone', read('gone', undefined)), undefined);
  assert.equal(await map.remembered('gone', read('gone', 5)), 5, 'not found before: read again');
  assert.deepEqual(reads, ['a', 'gone', 'gone']);
});
