import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommentView, ThreadEventWire } from '../contract/api';
import { flattenTree, parentsFirst } from '../domain/tree';
import { comment } from './commentFixture';
import { keepUnchanged, type StableTree } from './stableTree';
import { initialState, reduce, visibleTree, type ClientComment, type ThreadAction, type ThreadState } from './threadState';

/** Two branches: a (with a reply b, which has a reply c) and d (with a reply e). */
const THREAD = [comment('a', 1), comment('b', 2, 'a'), comment('c', 3, 'b', { depth: 3, rootId: 'a' }), comment('d', 4), comment('e', 5, 'd')];

function start(comments: CommentView[] = THREAD): ThreadState {
  return initialState({ slug: 's', sort: 'oldest', seq: 5, locked: false, comments, nextCursor: 'more', total: comments.length + 1 });
}

/** An event as the thread's next one. */
type Unsequenced = ThreadEventWire extends infer E ? (E extends ThreadEventWire ? Omit<E, 'slug' | 'seq'> : never) : never;
const event = (state: ThreadState, e: Unsequenced): ThreadAction => ({ type: 'event', event: { slug: 's', seq: state.seq + 1, ...e } as ThreadEventWire });

/** What the page renders for `state`, kept against what it rendered before. */
const render = (previous: StableTree<ClientComment> | null, state: ThreadState) => keepUnchanged(previous, visibleTree(state));

/** The ids whose node is a new object in `after`: the comments the page re-renders. */
function rerendered(before: StableTree<ClientComment>, after: StableTree<ClientComment>): string[] {
  return parentsFirst(after.roots)
    .filter((node) => before.byId.get(node.item.id) !== node)
    .map((node) => node.item.id)
    .sort();
}

describe('keeping the nodes of what did not change', () => {
  test('the first tree is the one built; the same state again gives the very same roots and nodes', () => {
    const state = start();
    const first = render(null, state);
    assert.deepEqual(flattenTree(first.roots).map((c) => c.id), ['a', 'b', 'c', 'd', 'e']);
    const again = render(first, state);
    assert.equal(again.roots, first.roots);
    assert.deepEqual(rerendered(first, again), []);
  });

  test('a like on a reply renews that comment and its ancestors only', () => {
    const state = start();
    const before = render(null, state);
    const liked = reduce(state, event(state, { type: 'comment.liked', commentId: 'c', likes: 3 }));
    const after = render(before, liked);
    assert.deepEqual(rerendered(before, after), ['a', 'b', 'c']);
    assert.equal(after.roots[1], before.roots[1], 'the other branch is the same object');
    assert.equal(after.byId.get('c')!.item.likes, 3);
  });

  test('a live reply renews the branch it lands in, down to its parent; the new comment is new', () => {
    const state = start();
    const before = render(null, state);
    const replied = reduce(state, event(state, { type: 'comment.created', comment: comment('f', 6, 'e', { rootId: 'd' }) }));
    const after = render(before, replied);
    assert.deepEqual(rerendered(before, after), ['d', 'e', 'f']);
    assert.equal(after.byId.get('d')!.descendantCount, 2);
    assert.equal(after.byId.get('a'), before.byId.get('a'));
  });

  test('a page of new branches leaves the branches already shown as they were', () => {
    const state = start();
    const before = render(null, state);
    const paged = reduce(state, { type: 'page', comments: [comment('g', 7), comment('h', 8, 'g')], nextCursor: null });
    const after = render(before, paged);
    assert.deepEqual(rerendered(before, after), ['g', 'h']);
    assert.deepEqual(after.roots.slice(0, 2), before.roots);
    assert.notEqual(after.roots, before.roots);
  });

  test('a deleted leaf leaves the tree: its parent is renewed, its parent’s siblings are not', () => {
    const state = start();
    const before = render(null, state);
    const deleted = reduce(state, event(state, { type: 'comment.updated', comment: comment('e', 5, 'd', { status: 'deleted', body: '', html: '' }) }));
    const after = render(before, deleted);
    assert.deepEqual(rerendered(before, after), ['d']);
    assert.deepEqual(after.byId.get('d')!.children, []);
    assert.equal(after.roots[0], before.roots[0]);
  });

  test('a state change that touches no comment (a reply in a branch not loaded) keeps the whole tree', () => {
    const state = start();
    const before = render(null, state);
    const elsewhere = reduce(state, event(state, { type: 'comment.created', comment: comment('x', 9, 'far', { rootId: 'far', depth: 2 }) }));
    assert.notEqual(elsewhere, state);
    assert.equal(render(before, elsewhere).roots, before.roots);
  });
});
