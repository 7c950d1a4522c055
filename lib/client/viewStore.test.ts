import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createViewStore, shallowEqual } from './viewStore';

describe('a view store', () => {
  test('set changes what get returns without telling anyone; notify tells every subscriber until it leaves', () => {
    const store = createViewStore({ n: 1 });
    const heard: string[] = [];
    const leaveA = store.subscribe(() => heard.push(`a${store.get().n}`));
    store.subscribe(() => heard.push(`b${store.get().n}`));
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
    store.subscribe(() => heard.push('second'));
    store.notify();
    assert.deepEqual(heard, ['first', 'second']);
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
