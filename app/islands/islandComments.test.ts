import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comment } from '../../lib/client/commentFixture';
import { packComments, unpackComments, type IslandComment } from './islandComments';

const nothingShown = { has: () => false };
const at = (id: string, parentId: string | null, depth: number, rootId: string, overrides: Partial<IslandComment> = {}): IslandComment => ({ ...comment(id, 2, parentId, { depth, rootId }), mine: false, ...overrides });

test('comments read back as they were packed, children before their parents or after, a branch page\'s root deep in its thread', () => {
  // A branch page: its root "b" is a reply at depth 3 whose parent is not on the page.
  const comments = [
    at('d', 'c', 5, 'a', { likes: 3, pinned: true, editedAt: '2026-11-27T11:00:00.000Z', locked: true }),
    at('b', 'x', 3, 'a'),
    at('c', 'b', 4, 'a', { body: 'mine', mine: true, likedByMe: true }),
    at('t', null, 1, 't', { status: 'deleted', body: '', html: '', author: { name: null } }),
  ];
  const packed = packComments(comments, nothingShown);
  assert.deepEqual(unpackComments(packed, () => undefined), comments);
  assert.equal(packed[1]!.depth, 3, 'a parent not on the page: its depth and branch are said');
  assert.equal(packed[0]!.depth, undefined, 'a parent on the page: its depth and branch follow from it');
  assert.equal(packed[3]!.rootId, undefined, 'a top-level comment is its own branch, at depth 1');
  assert.deepEqual(Object.keys(packed[1]!).sort(), ['author', 'body', 'createdAt', 'depth', 'html', 'id', 'parentId', 'rootId', 'seq', 'status']);
});

test('what does not follow from the parent is said (a moved or inconsistent row reads back as it was)', () => {
  const comments = [at('a', null, 1, 'a'), at('b', 'a', 3, 'z'), at('c', null, 2, 'a')];
  assert.deepEqual(unpackComments(packComments(comments, nothingShown), () => undefined), comments);
});

test('a shown comment\'s HTML is left out and read back from the page; a missing one shows as no text', () => {
  const comments = [at('a', null, 1, 'a'), at('b', 'a', 2, 'a')];
  const packed = packComments(comments, new Set(['a', 'b']));
  assert.equal('html' in packed[0]!, false);
  assert.deepEqual(unpackComments(packed, (id) => (id === 'a' ? '<p>a</p>' : id === 'b' ? '<p>b</p>' : undefined)), comments);
  assert.equal(unpackComments(packed, () => undefined)[1]!.html, '');
});

test('a chain thousands deep unpacks without a deep recursion', () => {
  const comments = Array.from({ length: 20000 }, (_, i) => at(`c${i}`, i === 0 ? null : `c${i - 1}`, i + 1, 'c0'));
  assert.deepEqual(unpackComments(packComments(comments, nothingShown).reverse(), () => undefined), comments.reverse());
});
