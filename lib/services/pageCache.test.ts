import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPageCache } from './pageCache';

test('a page is found by (thread, seq, variant) and nothing else', () => {
  const cache = createPageCache<string>({ maxComments: 100 });
  cache.set('t1', 5, 'first', 'page', 10);
  assert.equal(cache.get('t1', 5, 'first'), 'page');
  assert.equal(cache.get('t1', 5, 'second'), undefined);
  assert.equal(cache.get('t1', 6, 'first'), undefined, 'another seq is another version of the thread');
  assert.equal(cache.get('t2', 5, 'first'), undefined);
});

test('a newer seq drops the thread’s older pages at once, and an older one is not kept over a newer', () => {
  const cache = createPageCache<string>({ maxComments: 100 });
  cache.set('t1', 5, 'first', 'v5 first', 10);
  cache.set('t1', 5, 'after:9', 'v5 second', 10);
  cache.set('t2', 3, 'first', 'other thread', 10);
  cache.set('t1', 6, 'first', 'v6 first', 10);
  assert.equal(cache.get('t1', 5, 'first'), undefined);
  assert.equal(cache.get('t1', 5, 'after:9'), undefined);
  assert.equal(cache.get('t2', 3, 'first'), 'other thread', 'other threads keep theirs');
  assert.equal(cache.size, 2);
  assert.equal(cache.weight, 20);
  cache.set('t1', 5, 'after:9', 'late v5', 10);
  assert.equal(cache.get('t1', 5, 'after:9'), undefined, 'a page read before the newer one was kept is dropped');
  assert.equal(cache.get('t1', 6, 'first'), 'v6 first');
});

test('the budget counts comments; the least recently used go first', () => {
  const cache = createPageCache<string>({ maxComments: 30 });
  cache.set('a', 1, 'p', 'A', 10);
  cache.set('b', 1, 'p', 'B', 10);
  cache.set('c', 1, 'p', 'C', 10);
  assert.equal(cache.get('a', 1, 'p'), 'A'); // now the most recently used
  cache.set('d', 1, 'p', 'D', 10);
  assert.equal(cache.get('b', 1, 'p'), undefined, 'b was the least recently used');
  assert.deepEqual(['a', 'c', 'd'].map((t) => cache.get(t, 1, 'p')), ['A', 'C', 'D']);
  assert.equal(cache.weight, 30);
  cache.set('e', 1, 'p', 'E', 25);
  assert.ok(cache.weight <= 30);
  assert.equal(cache.get('e', 1, 'p'), 'E');
});

test('replacing an entry does not count it twice; a page over the budget, or a budget of 0, keeps nothing', () => {
  const cache = createPageCache<string>({ maxComments: 30 });
  cache.set('a', 1, 'p', 'A', 10);
  cache.set('a', 1, 'p', 'A again', 12);
  assert.equal(cache.weight, 12);
  assert.equal(cache.get('a', 1, 'p'), 'A again');
  cache.set('big', 1, 'p', 'too big', 31);
  assert.equal(cache.get('big', 1, 'p'), undefined);
  assert.equal(cache.get('a', 1, 'p'), 'A again', 'a page too big to keep evicts nothing');
  const off = createPageCache<string>({ maxComments: 0 });
  off.set('a', 1, 'p', 'A', 0);
  assert.equal(off.get('a', 1, 'p'), undefined);
  assert.equal(off.size, 0);
});
