import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptText } from './keptText';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

test('text is kept in the browser storage, so another page (a reload) finds it', () => {
  const storage = memoryStorage();
  keptText(() => storage).save('threadline:name', 'Kai');
  assert.equal(storage.items.get('threadline:name'), 'Kai');
  assert.equal(keptText(() => storage).load('threadline:name'), 'Kai');
});

test('where reading the storage throws (a third-party frame), text is kept for the page’s life', () => {
  const kept = keptText(() => {
    throw new DOMException('Access is denied for this document.', 'SecurityError');
  });
  assert.equal(kept.load('threadline:name'), '');
  kept.save('threadline:name', 'Kai');
  assert.equal(kept.load('threadline:name'), 'Kai');
  kept.save('threadline:name', '');
  assert.equal(kept.load('threadline:name'), '');
});

test('a full storage keeps the newest text in memory, not the older copy it holds', () => {
  const storage = memoryStorage();
  storage.items.set('draft', 'an older draft');
  storage.setItem = () => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  const kept = keptText(() => storage);
  kept.save('draft', 'a longer draft');
  assert.equal(kept.load('draft'), 'a longer draft');
});

test('where the storage works, it alone decides: text another tab removed is gone here too', () => {
  const storage = memoryStorage();
  const kept = keptText(() => storage);
  kept.save('draft', 'words');
  storage.items.delete('draft');
  assert.equal(kept.load('draft'), '');
});

test('emptying a text forgets it in both places', () => {
  const storage = memoryStorage();
  const kept = keptText(() => storage);
  kept.save('draft', 'words');
  kept.save('draft', '');
  assert.equal(storage.items.has('draft'), false);
  assert.equal(kept.load('draft'), '');
});
