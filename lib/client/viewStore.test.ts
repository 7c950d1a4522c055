import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createViewStore, RERENDERS_PER_TASK, shallowEqual } from './viewStore';

describe('a view store', () => {
  test('set changes what get returns without telling anyone; notify tells every subscriber until it leaves', () => {
    const store = createViewStore({ n: 1 });
    const heard: string[] = [];
    const leaveA = store.subscribe(() => {
      heard.push(`a${store.get().n}`);
    });
    store.subscribe(() => {
      heard.push(`b${store.get().n}`);
    });
    store.set({ n: 2 });
    assert.equal(store.get().n, 2);
    assert.deepEqual(heard, []);
    store.notify();
    assert.deepEqual(heard, ['a2', 'b2']);
    leaveA();
    store.notify();
    assert.deepEqual(heard, ['a2', 'b2', 'b2']);
  });

  test('a subscriber leaving while being told does not stop the others hearing it', () => {
    const store = createViewStore(0);
    const heard: string[] = [];
    const leave = store.subscribe(() => {
      heard.push('first');
      leave();
    });
    store.subscribe(() => {
      heard.push('second');
    });
    store.notify();
    assert.deepEqual(heard, ['first', 'second']);
  });

  test('subscribers that re-render are told a few per task, the others at once; a new notify starts over', async () => {
    const store = createViewStore(0);
    const told: number[] = [];
    const count = RERENDERS_PER_TASK * 2 + 3;
    for (let i = 0; i < count; i++)
      store.subscribe(() => {
        told.push(i);
        return i % 2 === 0 || store.get() === 2;
      });
    store.set(1);
    store.notify();
    // Every other one re-renders: 2 × RERENDERS_PER_TASK - 1 listeners are told before the first task ends.
    assert.equal(told.length, RERENDERS_PER_TASK * 2 - 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(told.length, count);
    told.length = 0;
    store.set(2);
    store.notify();
    assert.equal(told.length, RERENDERS_PER_TASK);
    store.notify();
    assert.equal(told.length, RERENDERS_PER_TASK * 2, 'the second notify starts from the first subscriber');
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(told.length, RERENDERS_PER_TASK + count, 'the first pass was dropped, the second told everyone');
  });

  test('a held store answers the value it had until released, and release tells everyone', () => {
    const store = createViewStore('server');
    const heard: string[] = [];
    store.subscribe(() => {
      heard.push(store.get());
    });
    store.hold();
    store.set('live');
    assert.equal(store.get(), 'server');
    store.notify();
    assert.deepEqual(heard, ['server']);
    store.release();
    assert.equal(store.get(), 'live');
    assert.deepEqual(heard, ['server', 'live']);
  });
});

describe('shallow equality', () => {
  test('the same keys with the very same values', () => {
    const f = () => null;
    assert.equal(shallowEqual({ a: 1, b: 'x', f }, { a: 1, b: 'x', f }), true);
    assert.equal(shallowEqual({ a: Number.NaN }, { a: Number.NaN }), true);
  });

  test('a different value, a nested record that is not the same object, or a different key is not equal', () => {
    assert.equal(shallowEqual({ a: 1 }, { a: 2 }), false);
    assert.equal(shallowEqual({ a: {} }, { a: {} }), false);
    assert.equal(shallowEqual<Record<string, unknown>>({ a: undefined }, { b: undefined }), false);
    assert.equal(shallowEqual<Record<string, unknown>>({ a: 1 }, { a: 1, b: 2 }), false);
  });
});
