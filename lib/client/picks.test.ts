import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommentView, ThreadEventWire } from '../contract/api';
import { comment } from './commentFixture';
import { unseen } from './arrivals';
import { initialState, picksOf, reduce, shownInView, visibleTree, type ThreadState } from './threadState';

/** Editors' picks on a page (issue 19.1): the strip's list, live, and the Picks sort's branches. */

const updated = (c: CommentView, seq: number): ThreadEventWire => ({ slug: 's', seq, type: 'comment.updated', comment: c });
const picked = (c: CommentView, at: string, note: string | null = null): CommentView => ({ ...c, pinned: true, pick: { note, at } });
const strip = (state: ThreadState) => picksOf(state).map((p) => `${p.comment.id}${p.onPage ? '' : ' (far)'}${p.comment.pick?.note ? `: ${p.comment.pick.note}` : ''}`);

test('the strip starts from the page’s picks, newest pick first, and follows features, new notes and unfeatures live', () => {
  const a = comment('a', 2);
  const b = comment('b', 3);
  let state = initialState({ slug: 's', sort: 'oldest', seq: 3, locked: false, comments: [picked(a, '2026-12-01T10:00:00.000Z', 'First'), b] });
  assert.deepEqual(strip(state), ['a: First']);
  state = reduce(state, { type: 'event', event: updated(picked(b, '2026-12-01T11:00:00.000Z'), 4) });
  assert.deepEqual(strip(state), ['b', 'a: First']);
  state = reduce(state, { type: 'event', event: updated(picked(a, '2026-12-01T10:00:00.000Z', 'Better'), 5) });
  assert.deepEqual(strip(state), ['b', 'a: Better']);
  state = reduce(state, { type: 'event', event: updated({ ...b, pinned: false }, 6) });
  assert.deepEqual(strip(state), ['a: Better']);
});

test('a removed or deleted pick leaves the strip', () => {
  const a = picked(comment('a', 2), '2026-12-01T10:00:00.000Z');
  const start = initialState({ slug: 's', sort: 'oldest', seq: 2, locked: false, comments: [a] });
  // Removing unpins (the event says so); a deletion by its author leaves the pin but not the pick.
  assert.deepEqual(strip(reduce(start, { type: 'event', event: updated({ ...a, status: 'removed', pinned: false, pick: undefined }, 3) })), []);
  assert.deepEqual(strip(reduce(start, { type: 'event', event: updated({ ...a, status: 'deleted', body: '', html: '' }, 3) })), []);
});

test('a pick in a branch the page has not loaded is in the strip, marked far (its link loads the branch), and leaves when unfeatured', () => {
  const a = comment('a', 2);
  let state = initialState({ slug: 's', sort: 'oldest', seq: 9, locked: false, comments: [a], nextCursor: '2', total: 3 });
  const far = comment('far', 5, 'z');
  state = reduce(state, { type: 'event', event: updated(picked(far, '2026-12-01T10:00:00.000Z', 'Deep down'), 10) });
  assert.deepEqual(strip(state), ['far (far): Deep down']);
  assert.equal(state.comments.far, undefined, 'not placed in the tree without its branch');
  // Its branch loads: the pick is on the page now, once.
  state = reduce(state, { type: 'page', comments: [comment('z', 4), picked(far, '2026-12-01T10:00:00.000Z', 'Deep down')], nextCursor: null });
  assert.deepEqual(strip(state), ['far: Deep down']);
  const unloaded = reduce(initialState({ slug: 's', sort: 'oldest', seq: 9, locked: false, comments: [a] }), { type: 'event', event: updated(picked(far, '2026-12-01T10:00:00.000Z'), 10) });
  const unfeatured = reduce(unloaded, { type: 'event', event: updated(far, 11) });
  assert.deepEqual(strip(unfeatured), []);
  assert.equal(reduce(unfeatured, { type: 'event', event: updated(far, 12) }).farPicks, unfeatured.farPicks, 'nothing to forget: the same state');
});

test('the Picks sort shows only the branches that hold a pick', () => {
  const state = initialState({
    slug: 's',
    sort: 'picks',
    seq: 6,
    locked: false,
    comments: [comment('a', 2), comment('b', 3), picked(comment('r', 4, 'b'), '2026-12-01T10:00:00.000Z'), picked(comment('c', 5), '2026-12-01T11:00:00.000Z'), comment('d', 6)],
  });
  assert.deepEqual(visibleTree(state).map((n) => n.item.id), ['b', 'c']);
});

test('the arrivals pill counts in the Picks view only what it shows: news in a picked branch, not a new branch without a pick', () => {
  let state = initialState({ slug: 's', sort: 'picks', seq: 3, locked: false, comments: [comment('a', 2), picked(comment('p', 3), '2026-12-01T10:00:00.000Z')] });
  const created = (c: CommentView): ThreadEventWire => ({ slug: 's', seq: c.seq, type: 'comment.created', comment: c });
  state = reduce(state, { type: 'event', event: created(comment('n', 4)) });
  state = reduce(state, { type: 'event', event: created(comment('pr', 5, 'p')) });
  state = reduce(state, { type: 'event', event: created(comment('ar', 6, 'a')) });
  const held = [...state.held, 'pr', 'ar'];
  assert.deepEqual(unseen({ back: null, held, comments: state.comments, rootId: null, inView: shownInView(state) }), ['pr']);
  // The same page in another view counts them all.
  const oldest = { ...state, sort: 'oldest' as const };
  assert.deepEqual(unseen({ back: null, held, comments: oldest.comments, rootId: null, inView: shownInView(oldest) }).sort(), ['ar', 'n', 'pr']);
  // Picked live, the new branch is shown in the view, and counted.
  state = reduce(state, { type: 'event', event: updated(picked(comment('n', 4), '2026-12-01T12:00:00.000Z'), 7) });
  assert.deepEqual(unseen({ back: null, held, comments: state.comments, rootId: null, inView: shownInView(state) }).sort(), ['n', 'pr']);
});
