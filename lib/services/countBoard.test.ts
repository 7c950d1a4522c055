import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCountBoard, type CountChanges } from './countBoard';

function reader(slugs: string[]) {
  const got: CountChanges[] = [];
  return { slugs, got, deliver: (changes: CountChanges) => got.push(changes) };
}

describe('the count board: one message per reader per read, with only what changed', () => {
  test('many comments on a thread between two reads reach each of its readers once, with the latest count', () => {
    const board = createCountBoard();
    const a = reader(['one', 'two', 'three']);
    const b = reader(['two']);
    board.watch(a);
    board.watch(b);
    assert.equal(board.apply(new Map([['one', 1], ['two', 5], ['three', 0]]), ['one', 'two', 'three']), 0, 'a first read is no change');
    // Ten comments on "two", three on "one" happened meanwhile: the store holds their latest counts.
    assert.equal(board.apply(new Map([['one', 4], ['two', 15], ['three', 0]]), ['one', 'two', 'three']), 2);
    assert.deepEqual(a.got, [{ one: 4, two: 15 }]);
    assert.deepEqual(b.got, [{ two: 15 }]);
  });

  test('a reader whose threads did not change hears nothing; a thread that went away is null', () => {
    const board = createCountBoard();
    const a = reader(['one']);
    const b = reader(['two']);
    board.watch(a);
    board.watch(b);
    board.apply(new Map([['one', 1], ['two', 2]]), ['one', 'two']);
    assert.equal(board.apply(new Map([['one', 1]]), ['one', 'two']), 1);
    assert.deepEqual(a.got, []);
    assert.deepEqual(b.got, [{ two: null }]);
  });

  test('100 readers of the same 100 threads: one watched list of 100 slugs, 100 messages per read that changes them', () => {
    const board = createCountBoard();
    const slugs = Array.from({ length: 100 }, (_, i) => `t-${i}`);
    const readers = Array.from({ length: 100 }, () => reader(slugs));
    for (const r of readers) board.watch(r);
    assert.equal(board.watchedSlugs().length, 100);
    board.apply(new Map(slugs.map((s) => [s, 0])), slugs);
    assert.equal(board.apply(new Map(slugs.map((s, i) => [s, i % 2])), slugs), 100);
    for (const r of readers) assert.equal(Object.keys(r.got[0]!).length, 50);
  });

  test('a reader that stops hears nothing more, and a thread nobody watches is read no more', () => {
    const board = createCountBoard();
    const a = reader(['one', 'two']);
    const b = reader(['two']);
    const stopA = board.watch(a);
    board.watch(b);
    board.apply(new Map([['one', 1], ['two', 1]]), ['one', 'two']);
    stopA();
    assert.deepEqual(board.watchedSlugs(), ['two']);
    assert.equal(board.known('one'), undefined);
    assert.equal(board.readers(), 1);
    board.apply(new Map([['one', 9], ['two', 2]]), ['one', 'two']);
    assert.deepEqual(a.got, []);
    assert.deepEqual(b.got, [{ two: 2 }]);
  });
});
