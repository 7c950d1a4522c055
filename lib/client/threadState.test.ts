import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CatchUp, CommentView, ThreadEventWire } from '../contract/api';
import { flattenTree } from '../domain/tree';
import { comment } from './commentFixture';
import { initialState, localId, missingFrom, reduce, replyBlocked, shownCount, threadGone, visibleCount, visibleTree, type ThreadAction, type ThreadState } from './threadState';


const created = (c: CommentView, clientId?: string): ThreadEventWire => ({ slug: 's', seq: c.seq, type: 'comment.created', comment: c, ...(clientId && { clientId }) });

function start(comments: CommentView[] = [comment('a', 2)], seq = 2): ThreadState {
  return initialState({ slug: 's', sort: 'oldest', seq, locked: false, comments });
}

function run(state: ThreadState, ...actions: ThreadAction[]): ThreadState {
  return actions.reduce(reduce, state);
}

const ids = (state: ThreadState) => flattenTree(visibleTree(state)).map((c) => c.id);

describe('applying events in seq order', () => {
  test('the next event applies; an old or repeated one is dropped', () => {
    const b = comment('b', 3, 'a');
    let state = run(start(), { type: 'event', event: created(b) });
    assert.equal(state.seq, 3);
    assert.deepEqual(ids(state), ['a', 'b']);
    const again = run(state, { type: 'event', event: created(b) }, { type: 'event', event: created(comment('old', 1)) });
    assert.equal(again, state, 'nothing changes: the very same state comes back');
    state = again;
    assert.equal(state.comments.old, undefined);
  });

  test('an event after a gap waits; the gap is reported and filling it applies both in order', () => {
    const c4 = comment('c4', 4, 'a');
    const c3 = comment('c3', 3, 'a');
    let state = run(start(), { type: 'event', event: created(c4) });
    assert.equal(state.seq, 2);
    assert.equal(missingFrom(state), 2, 'the page must ask for what came after seq 2');
    assert.deepEqual(ids(state), ['a']);
    state = run(state, { type: 'catch-up', catchUp: { thread: { slug: 's', seq: 4, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [created(c3), created(c4)], resync: false } });
    assert.equal(state.seq, 4);
    assert.equal(missingFrom(state), null);
    assert.deepEqual(ids(state), ['a', 'c3', 'c4']);
  });

  test('a catch-up that overlaps what the page already has adds nothing twice', () => {
    const b = comment('b', 3, 'a');
    const c = comment('c', 4, 'a');
    let state = run(start(), { type: 'event', event: created(b) });
    state = run(state, { type: 'catch-up', catchUp: { thread: { slug: 's', seq: 4, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [created(b), created(c)], resync: false } });
    assert.deepEqual(ids(state), ['a', 'b', 'c']);
    assert.equal(state.seq, 4);
  });

  test('comment.updated replaces the text and keeps "mine"; thread.updated sets the lock', () => {
    let state = initialState({ slug: 's', sort: 'oldest', seq: 2, locked: false, comments: [{ ...comment('a', 2), mine: true }] });
    state = run(
      state,
      { type: 'event', event: { slug: 's', seq: 3, type: 'comment.updated', comment: comment('a', 2, null, { body: 'edited', editedAt: '2026-11-27T10:01:00.000Z' }) } },
      { type: 'event', event: { slug: 's', seq: 4, type: 'thread.updated', thread: { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false } } },
    );
    assert.equal(state.comments.a!.body, 'edited');
    assert.equal(state.comments.a!.mine, true);
    assert.equal(state.locked, true);
  });

  test('a deleted leaf disappears; a deleted comment with replies stays as a placeholder', () => {
    let state = start([comment('a', 2), comment('b', 3, 'a'), comment('c', 4)], 4);
    const deleted = (c: CommentView, seq: number): ThreadEventWire => ({ slug: 's', seq, type: 'comment.updated', comment: { ...c, status: 'deleted', body: '', html: '', author: { name: null } } });
    state = run(state, { type: 'event', event: deleted(comment('c', 4), 5) }, { type: 'event', event: deleted(comment('a', 2), 6) });
    assert.deepEqual(ids(state), ['a', 'b']);
    assert.equal(state.comments.a!.status, 'deleted');
  });
});

describe('what the reader sees arrive', () => {
  test('new top-level comments from others wait behind the button; replies go straight into their branch', () => {
    let state = run(start(), { type: 'event', event: created(comment('top', 3)) }, { type: 'event', event: created(comment('reply', 4, 'a')) });
    assert.deepEqual(state.held, ['top']);
    assert.deepEqual(ids(state), ['a', 'reply']);
    assert.equal(state.comments.reply!.fresh, true);
    assert.equal(visibleCount(state), 3, 'the count includes held comments');
    state = run(state, { type: 'reveal' });
    assert.deepEqual(ids(state), ['a', 'reply', 'top']);
    state = run(state, { type: 'settle', id: 'reply' });
    assert.equal(state.comments.reply!.fresh, false);
  });

  test('what arrived while the page loaded (its first catch-up) waits behind the button, replies too; later catch-ups do not', () => {
    const catchUp = (seq: number, missed: ThreadEventWire[], first?: boolean): ThreadAction => ({ type: 'catch-up', catchUp: { thread: { slug: 's', seq, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed, resync: false }, ...(first && { first }) });
    let state = start([comment('a', 2), { ...comment('m', 3), mine: true } as CommentView], 3);
    state = run(
      state,
      catchUp(7, [created(comment('r1', 4, 'a')), created(comment('top', 5)), created(comment('r2', 6, 'top')), created(comment('mine', 7, 'm', { status: 'deleted' }))], true),
    );
    assert.deepEqual(state.held, ['r1', 'top', 'r2'], 'others\' visible comments, in seq order');
    assert.deepEqual(ids(state), ['a', 'm'], 'nothing new is in the tree: nothing moved');
    assert.equal(visibleCount(state), 5);
    // A reply to a held comment arriving live stays with it: not shown on its own as a branch.
    state = run(state, { type: 'event', event: created(comment('r3', 8, 'r1', { depth: 3, rootId: 'a' })) });
    assert.deepEqual(ids(state), ['a', 'm']);
    state = run(state, { type: 'reveal' });
    assert.deepEqual(ids(state), ['a', 'r1', 'r3', 'm', 'top', 'r2']);
    state = run(state, catchUp(9, [created(comment('r4', 9, 'a'))]));
    assert.deepEqual(state.held, [], 'a later catch-up (after a reconnect) shows replies in place, as live ones');
    assert.ok(ids(state).includes('r4'));
  });

  test('our own comment confirmed by the first catch-up is not held', () => {
    const send: ThreadAction = { type: 'send', clientId: 'k1', parentId: 'a', body: 'mine', authorName: 'Me' };
    const state = run(start(), send, { type: 'catch-up', catchUp: { thread: { slug: 's', seq: 3, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [created(comment('real', 3, 'a'), 'k1')], resync: false }, first: true });
    assert.deepEqual(state.held, []);
    assert.deepEqual(ids(state), ['a', 'real']);
  });

  test('a folded branch counts the replies that arrive under it, at any depth', () => {
    let state = start([comment('a', 2), comment('b', 3, 'a')], 3);
    state = run(state, { type: 'fold', id: 'a', open: false });
    state = run(state, { type: 'event', event: created(comment('c', 4, 'b', { depth: 3 })) }, { type: 'event', event: created(comment('d', 5, 'a')) });
    assert.equal(state.collapsed.a, 2);
    state = run(state, { type: 'fold', id: 'a', open: true });
    assert.equal(state.collapsed.a, undefined);
  });
});

describe('our own comments', () => {
  const send: ThreadAction = { type: 'send', clientId: 'k1', parentId: 'a', body: 'mine', authorName: 'Me' };

  test('shows at once as sending, after every real reply; the ack confirms it', () => {
    let state = run(start([comment('a', 2), comment('b', 3, 'a')], 3), send);
    const local = state.comments[localId('k1')]!;
    assert.equal(local.local?.state, 'sending');
    assert.equal(local.depth, 2);
    assert.deepEqual(ids(state), ['a', 'b', localId('k1')]);
    state = run(state, { type: 'sent', clientId: 'k1', comment: comment('real', 4, 'a', { body: 'mine' }) });
    assert.equal(state.comments[localId('k1')], undefined);
    assert.equal(state.comments.real!.mine, true);
    assert.equal(state.comments.real!.local, undefined);
  });

  test('shows as written until the server renders it: the page has no markdown renderer', () => {
    let state = run(start(), { ...send, body: 'line one\n**two**' });
    const local = state.comments[localId('k1')]!;
    assert.equal(local.body, 'line one\n**two**');
    assert.equal(local.html, '', 'no HTML of its own: the comment shows its text as plain text');
    state = run(state, { type: 'sent', clientId: 'k1', comment: comment('real', 4, 'a', { body: 'line one\n**two**', html: '<p>line one<br>\n<strong>two</strong></p>' }) });
    assert.equal(state.comments.real!.html, '<p>line one<br>\n<strong>two</strong></p>');
  });

  test('held for a moderator: the room\'s event (no text) keeps our text, and the answer brings the server\'s HTML', () => {
    const held = (overrides: Partial<CommentView>) => comment('real', 3, 'a', { status: 'pending', author: { name: null }, ...overrides });
    let state = run(start(), send, { type: 'event', event: created(held({ body: '', html: '' }), 'k1') });
    assert.equal(state.comments.real!.body, 'mine');
    assert.equal(state.comments.real!.html, '');
    assert.equal(state.comments.real!.author.name, 'Me');
    state = run(state, { type: 'sent', clientId: 'k1', comment: held({ body: 'mine', html: '<p>mine</p>', author: { name: 'Me' } }) });
    assert.equal(state.comments.real!.html, '<p>mine</p>');
    assert.equal(state.comments.real!.mine, true);
  });

  test('shadow-banned: whichever comes first, the room\'s placeholder (held, no text) or our answer (published), our page ends with it published', () => {
    const placeholder = created(comment('real', 3, 'a', { status: 'pending', author: { name: null }, body: '', html: '' }), 'k1');
    const answer: ThreadAction = { type: 'sent', clientId: 'k1', comment: comment('real', 3, 'a', { body: 'mine', html: '<p>mine</p>', author: { name: 'Me' } }) };
    for (const order of [
      [{ type: 'event', event: placeholder } as ThreadAction, answer],
      [answer, { type: 'event', event: placeholder } as ThreadAction],
    ]) {
      const state = run(start(), send, ...order);
      assert.deepEqual([state.comments.real!.status, state.comments.real!.body, state.comments.real!.mine], ['visible', 'mine', true]);
    }
  });

  test('the event that beats the ack confirms it too, and the late ack adds nothing', () => {
    const real = comment('real', 3, 'a', { body: 'mine' });
    let state = run(start(), send, { type: 'event', event: created(real, 'k1') });
    assert.deepEqual(ids(state), ['a', 'real']);
    assert.equal(state.comments.real!.mine, true);
    state = run(state, { type: 'sent', clientId: 'k1', comment: real });
    assert.deepEqual(ids(state), ['a', 'real']);
    assert.deepEqual(state.held, []);
  });

  test('a send the server did not take leaves the thread (its box still holds the text); sent again, it shows again', () => {
    const before = start();
    let state = run(before, send, { type: 'send-failed', clientId: 'k1' });
    assert.deepEqual(state.comments, before.comments);
    state = run(state, send, { type: 'sent', clientId: 'k1', comment: comment('real', 4, 'a', { body: 'mine' }) });
    assert.deepEqual(ids(state), ['a', 'real']);
    assert.equal(state.comments.real!.mine, true);
  });

  test('a top-level comment of ours whose event came while no local copy was here is not held behind "N new comments"', () => {
    const top: ThreadAction = { ...send, parentId: null };
    const real = comment('real', 3, null, { body: 'mine' });
    // Sent, timed out (taken back), stored after all: the event looks like someone else's, until the answer to the second send.
    let state = run(start(), top, { type: 'send-failed', clientId: 'k1' }, { type: 'event', event: created(real, 'k1') });
    assert.deepEqual(state.held, ['real']);
    state = run(state, top, { type: 'sent', clientId: 'k1', comment: real });
    assert.deepEqual(state.held, []);
    assert.equal(state.comments.real!.mine, true);
    assert.equal(state.comments[localId('k1')], undefined);
  });

  test('a full reload (resync) keeps unconfirmed comments and what was ours', () => {
    let state = initialState({ slug: 's', sort: 'oldest', seq: 2, locked: false, comments: [{ ...comment('a', 2), mine: true }] });
    state = run(state, send, { type: 'replace', seq: 900, settings: { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false }, comments: [comment('a', 2), comment('z', 899)], nextCursor: null, total: 2 });
    assert.equal(state.seq, 900);
    assert.equal(state.locked, true);
    assert.equal(state.comments.a!.mine, true);
    assert.ok(state.comments[localId('k1')]);
    assert.ok(state.comments.z);
  });
});

test('newest-first puts the latest top-level comment first', () => {
  const state = initialState({ slug: 's', sort: 'newest', seq: 4, locked: false, comments: [comment('a', 2), comment('b', 3), comment('r', 4, 'a')] });
  assert.deepEqual(ids(state), ['b', 'a', 'r']);
});

describe('a thread loaded a page of branches at a time', () => {
  const reply = (id: string, seq: number, parentId: string, rootId: string, depth = 2) => comment(id, seq, parentId, { rootId, depth });
  const paged = () =>
    initialState({ slug: 's', sort: 'oldest', seq: 10, locked: false, comments: [comment('a', 1), reply('a1', 2, 'a', 'a')], nextCursor: '1', total: 5 });
  const updated = (c: CommentView, seq: number): ThreadEventWire => ({ slug: 's', seq, type: 'comment.updated', comment: c });

  test('counts the comments of branches not loaded in the heading', () => {
    const state = paged();
    assert.equal(state.unloaded, 3);
    assert.equal(visibleCount(state), 5);
    assert.equal(state.nextCursor, '1');
  });

  test('says how many of them are shown: the loaded ones, up with each page, not with live replies elsewhere', () => {
    let state = paged();
    assert.equal(shownCount(state), 2);
    state = run(state, { type: 'event', event: created(reply('q1', 11, 'q', 'q')) });
    assert.deepEqual([shownCount(state), visibleCount(state)], [2, 6]);
    state = run(state, { type: 'page', comments: [comment('b', 3), reply('b1', 4, 'b', 'b'), comment('gone', 5, null, { status: 'deleted' })], nextCursor: '5' });
    assert.deepEqual([shownCount(state), visibleCount(state)], [4, 6], 'a deleted placeholder is not counted');
  });

  test('a live reply in an unloaded branch is counted, not shown; one in a loaded branch is shown', () => {
    const state = run(paged(), { type: 'event', event: created(reply('b1', 11, 'b', 'b')) }, { type: 'event', event: created(reply('a2', 12, 'a1', 'a', 3)) });
    assert.equal(state.seq, 12);
    assert.equal(state.comments.b1, undefined);
    assert.ok(state.comments.a2);
    assert.equal(state.unloaded, 4);
    assert.equal(visibleCount(state), 7);
    assert.deepEqual(flattenTree(visibleTree(state)).map((c) => c.id), ['a', 'a1', 'a2']);
  });

  test('a change to a comment of an unloaded branch waits for the branch', () => {
    const state = run(paged(), { type: 'event', event: updated(reply('b1', 4, 'b', 'b'), 11) });
    assert.equal(state.seq, 11);
    assert.equal(state.comments.b1, undefined);
  });

  test('a new top-level comment starts a branch of its own, held behind the button', () => {
    const state = run(paged(), { type: 'event', event: created(comment('z', 11)) });
    assert.deepEqual(state.held, ['z']);
    assert.equal(state.unloaded, 3);
  });

  test('the next page adds its branches once, moves the cursor, and takes them out of the unloaded count', () => {
    const page = [comment('a', 1), comment('b', 3), reply('b1', 4, 'b', 'b'), comment('c', 5)];
    const state = run(paged(), { type: 'page', comments: page, nextCursor: null });
    assert.deepEqual(Object.keys(state.comments).sort(), ['a', 'a1', 'b', 'b1', 'c']);
    assert.equal(state.nextCursor, null);
    assert.equal(state.unloaded, 0);
    assert.equal(visibleCount(state), 5);
  });

  test('events skipped while a branch was away are replayed once it is here: backfill', () => {
    let state = run(paged(), { type: 'event', event: created(reply('b2', 11, 'b', 'b')) });
    // The page was read before b2 existed and before b1 was edited.
    state = run(state, { type: 'page', comments: [comment('b', 3), reply('b1', 4, 'b', 'b')], nextCursor: null });
    const edited = reply('b1', 4, 'b', 'b');
    state = run(state, {
      type: 'backfill',
      events: [created(reply('b2', 11, 'b', 'b')), updated({ ...edited, body: 'edited' }, 12), created(reply('q1', 13, 'q', 'q'))],
    });
    assert.ok(state.comments.b2, 'the reply that arrived while its branch was away');
    assert.equal(state.comments.b1!.body, 'edited');
    assert.equal(state.comments.q1, undefined, 'still not loaded: still not shown');
    assert.equal(state.seq, 11, 'backfill does not move the seq');
  });

  test('a resync starts over from the first page with its cursor and total', () => {
    const state = run(paged(), { type: 'replace', seq: 40, settings: { locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, comments: [comment('a', 1)], nextCursor: '1', total: 9 });
    assert.equal(state.unloaded, 8);
    assert.equal(state.nextCursor, '1');
  });

  test('a resync that says nothing of a policy, Q&A or closing holds them as absent (null, false), as a catch-up does', () => {
    const before = initialState({ slug: 's', sort: 'oldest', seq: 2, locked: false, commentPolicy: 'accounts', qa: true, closesAt: '2030-01-01T00:00:00.000Z', comments: [] });
    const state = run(before, { type: 'replace', seq: 40, settings: { locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, comments: [], nextCursor: null, total: 0 });
    assert.equal(state.commentPolicy, null);
    assert.equal(state.qa, false);
    assert.equal(state.closesAt, null);
  });
});

describe('likes', () => {
  const liked = (id: string, seq: number, likes: number): ThreadEventWire => ({ slug: 's', seq, type: 'comment.liked', commentId: id, likes });

  test('comment.liked sets the count; replaying it (twice, or in a catch-up) gives the same count', () => {
    let state = start();
    state = reduce(state, { type: 'event', event: liked('a', 3, 1) });
    state = reduce(state, { type: 'event', event: liked('a', 4, 2) });
    assert.equal(state.comments.a!.likes, 2);
    assert.equal(state.seq, 4);
    const again = reduce(reduce(state, { type: 'event', event: liked('a', 3, 1) }), { type: 'event', event: liked('a', 4, 2) });
    assert.equal(again.comments.a!.likes, 2);
    const caughtUp = reduce(state, { type: 'catch-up', catchUp: { thread: { slug: 's', seq: 4, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed: [liked('a', 3, 1), liked('a', 4, 2)], resync: false } });
    assert.equal(caughtUp.comments.a!.likes, 2);
    // Backfill replays absolute counts too.
    const backfilled = reduce(state, { type: 'backfill', events: [liked('a', 3, 1), liked('a', 4, 2)] });
    assert.equal(backfilled.comments.a!.likes, 2);
  });

  test('a like shows at once, is kept when the event comes, and is taken back when refused', () => {
    let state = start();
    state = reduce(state, { type: 'like', id: 'a', liked: true });
    assert.deepEqual([state.comments.a!.likes, state.comments.a!.likedByMe], [1, true]);
    const failed = reduce(state, { type: 'like-failed', id: 'a', liked: true });
    assert.deepEqual([failed.comments.a!.likes, failed.comments.a!.likedByMe], [0, false]);

    // Our own event (with the count) and the ack, in either order.
    const eventFirst = reduce(reduce(state, { type: 'event', event: liked('a', 3, 1) }), { type: 'like-done', id: 'a', liked: true, likes: 1, changed: true });
    assert.deepEqual([eventFirst.comments.a!.likes, eventFirst.comments.a!.likedByMe], [1, true]);
    const ackFirst = reduce(reduce(state, { type: 'like-done', id: 'a', liked: true, likes: 1, changed: true }), { type: 'event', event: liked('a', 3, 1) });
    assert.deepEqual([ackFirst.comments.a!.likes, ackFirst.comments.a!.likedByMe], [1, true]);
    // Already liked in another tab: no event follows, the answer's count is the one to show.
    const noop = reduce(state, { type: 'like-done', id: 'a', liked: true, likes: 0, changed: false });
    assert.deepEqual([noop.comments.a!.likes, noop.comments.a!.likedByMe], [0, true]);
  });

  test('a moderator\'s change to a comment keeps whether this reader likes it', () => {
    let state = start([comment('a', 2, null, { likes: 3, likedByMe: true })]);
    state = reduce(state, { type: 'event', event: { slug: 's', seq: 3, type: 'comment.updated', comment: comment('a', 2, null, { likes: 3, pinned: true }) } });
    assert.equal(state.comments.a!.likedByMe, true);
    assert.equal(state.comments.a!.pinned, true);
  });

  test('the top sort puts the most liked branch first, ties oldest first', () => {
    const state = initialState({ slug: 's', sort: 'top', seq: 5, locked: false, comments: [comment('a', 2), comment('b', 3, null, { likes: 2 }), comment('c', 4, null, { likes: 2 }), comment('r', 5, 'a', { likes: 9 })] });
    assert.deepEqual(visibleTree(state).map((n) => n.item.id), ['b', 'c', 'a']);
    // Counts change live; the order the reader sees stays put until a reload.
    const later = reduce(state, { type: 'event', event: { slug: 's', seq: 6, type: 'comment.liked', commentId: 'a', likes: 5 } });
    assert.equal(later.comments.a!.likes, 5);
    assert.deepEqual(visibleTree(later).map((n) => n.item.id), ['b', 'c', 'a']);
  });
});

describe('replies to me', () => {
  test('another reader\'s reply to my comment is noticed, mine to myself is not', () => {
    let state = start([comment('a', 2, null, { mine: true } as Partial<CommentView>), comment('b', 3)], 3);
    state = reduce(state, { type: 'event', event: created(comment('r1', 4, 'a', { author: { name: 'Bo' } })) });
    assert.deepEqual(state.replies, [{ id: 'r1', author: 'Bo', parentId: 'a' }]);
    // A reply to someone else's comment: no notice.
    state = reduce(state, { type: 'event', event: created(comment('r2', 5, 'b')) });
    assert.equal(state.replies.length, 1);
    // My own reply to my own comment, sent from this page.
    state = reduce(state, { type: 'send', clientId: 'k1', parentId: 'a', body: 'me', authorName: 'Me' });
    state = reduce(state, { type: 'event', event: created(comment('r3', 6, 'a'), 'k1') });
    assert.equal(state.replies.length, 1);
    // A reply to my reply (confirmed above) is noticed.
    state = reduce(state, { type: 'event', event: created(comment('r4', 7, 'r3', { depth: 3, rootId: 'a' })) });
    assert.deepEqual(state.replies.map((r) => r.id), ['r1', 'r4']);
    state = reduce(state, { type: 'dismiss-reply', id: 'r1' });
    assert.deepEqual(state.replies.map((r) => r.id), ['r4']);
  });

  test('a reply in a branch not loaded is noticed when the page knows the comment is mine', () => {
    let state = initialState({ slug: 's', sort: 'oldest', seq: 2, locked: false, comments: [comment('a', 2)], ownIds: ['far'], nextCursor: '2', total: 3 });
    state = reduce(state, { type: 'event', event: created(comment('r', 3, 'far', { rootId: 'far' })) });
    assert.deepEqual(state.replies, [{ id: 'r', author: 'Ann', parentId: 'far' }]);
    assert.equal(state.comments.r, undefined);
  });
});

describe("the reader's own state, read after a page everyone shares", () => {
  test('their comments are marked (text kept for editing), their held ones placed where they belong, their likes marked', () => {
    // The page as everyone gets it: others' text travels once, as HTML (clientComments.ts).
    const shared = [comment('a', 2, null, { body: '' }), comment('b', 3, null, { body: '', likes: 1 }), comment('x', 4, null, { rootId: 'x' })];
    const state = run(start(shared, 7), {
      type: 'reader',
      own: [
        comment('a', 2),
        comment('h2', 6, 'h1', { status: 'pending', body: 'held reply', depth: 2, rootId: 'h1' }),
        comment('h1', 5, null, { status: 'pending', body: 'held' }),
        comment('far', 1, 'elsewhere', { status: 'pending', rootId: 'elsewhere', depth: 2 }),
      ],
      liked: ['b', 'gone'],
    });
    assert.equal(state.comments.a?.mine, true);
    assert.equal(state.comments.a?.body, 'a', 'its text, to edit');
    assert.deepEqual([state.comments.h1?.mine, state.comments.h2?.mine], [true, true], 'a held reply to a held comment finds its parent');
    assert.deepEqual(ids(state), ['a', 'b', 'x', 'h1', 'h2'], 'held ones show to their writer, in the order of the thread');
    assert.equal(state.comments.far, undefined, 'a held reply in a branch not on the page waits for it');
    assert.equal(state.own.far, true, 'but is known as theirs (a reply to it is news)');
    assert.deepEqual([state.comments.b?.likedByMe, state.comments.x?.likedByMe], [true, undefined]);
    assert.equal(state.seq, 7, 'the thread is where it was: this is no event');
  });
});

describe('a server this page does not understand', () => {
  const catchUp = (missed: ThreadEventWire[]): ThreadAction => ({ type: 'catch-up', catchUp: { thread: { slug: 's', seq: 9, locked: true, slowModeSeconds: 0, preModeration: false, hidden: false }, missed, resync: false } });

  test('once outdated, nothing the server says about the thread is applied; the reader\'s own sending comment stays', () => {
    let state = run(start(), { type: 'send', clientId: 'k1', parentId: null, body: 'my words', authorName: 'Me' }, { type: 'outdated' });
    assert.equal(state.outdated, true);
    const frozen = state;
    state = run(
      state,
      { type: 'event', event: created(comment('b', 3)) },
      catchUp([created(comment('c', 3))]),
      { type: 'replace', seq: 9, settings: { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false }, comments: [], nextCursor: null, total: 0 },
      { type: 'page', comments: [comment('p', 8)], nextCursor: null },
      { type: 'backfill', events: [created(comment('d', 4, 'a'))] },
    );
    assert.equal(state, frozen, 'the very same state: nothing applied');
    assert.equal(state.comments[localId('k1')]?.body, 'my words');
    // The reader can still fold, reveal and dismiss: those are the page's own.
    assert.notEqual(run(state, { type: 'fold', id: 'a', open: false }), state);
  });

  test('an event of a type this page does not know is not applied, nor anything after it, and marks the page outdated', () => {
    const unknown = { slug: 's', seq: 3, type: 'comment.reacted', commentId: 'a', emoji: '🎉' } as unknown as ThreadEventWire;
    const state = run(start(), { type: 'event', event: unknown }, { type: 'event', event: created(comment('b', 4)) });
    assert.equal(state.outdated, true);
    assert.equal(state.seq, 2);
    assert.deepEqual(ids(state), ['a']);
    // Before, the reducer had no answer for it and the page's state became undefined.
    assert.ok(state.comments.a);
  });

  test('a known type without what it needs counts as not understood too; a catch-up stops at it', () => {
    const broken = { slug: 's', seq: 4, type: 'comment.created', comment: { id: 'x' } } as unknown as ThreadEventWire;
    const state = run(start(), catchUp([created(comment('b', 3)), broken, created(comment('c', 5))]));
    assert.equal(state.outdated, true);
    assert.equal(state.seq, 3, 'what came before it is applied');
    assert.equal(state.comments.c, undefined);
  });

  test('a backfill skips events it does not understand and applies the rest', () => {
    let state = initialState({ slug: 's', sort: 'oldest', seq: 6, locked: false, comments: [comment('a', 2)], nextCursor: '2', total: 2 });
    state = run(state, { type: 'backfill', events: [{ slug: 's', seq: 3, type: 'comment.reacted' } as unknown as ThreadEventWire, created(comment('r', 4, 'a'))] });
    assert.equal(state.outdated, false);
    assert.ok(state.comments.r);
  });
});

describe('a thread hidden or deleted while the page is open', () => {
  const settings = (hidden: boolean) => ({ locked: false, slowModeSeconds: 0, preModeration: false, hidden });
  const hiddenAt = (seq: number, hidden = true): ThreadEventWire => ({ slug: 's', seq, type: 'thread.updated', thread: settings(hidden) });

  test('hidden by its event (at its seq): gone for a reader, still there for staff, closed to replies either way', () => {
    const state = run(start(), { type: 'event', event: hiddenAt(3) });
    assert.equal(state.hidden, true);
    assert.equal(threadGone(state, { staff: false }), true);
    assert.equal(threadGone(state, { staff: true }), false);
    assert.equal(replyBlocked(state, 'a'), 'hidden');
    assert.equal(replyBlocked(state, null), 'hidden');
    const shown = run(state, { type: 'event', event: hiddenAt(4, false) });
    assert.equal(threadGone(shown, { staff: false }), false, 'shown again: a page that had not stopped follows it again');
    assert.equal(replyBlocked(shown, null), null);
  });

  test('a hide waits behind a gap like any event, and a catch-up applies it too', () => {
    const early = run(start(), { type: 'event', event: hiddenAt(4) });
    assert.equal(early.hidden, false, 'seq 3 is missing: not applied yet');
    assert.equal(run(early, { type: 'event', event: created(comment('b', 3)) }).hidden, true);
    const caughtUp = run(start(), { type: 'catch-up', catchUp: { thread: { slug: 's', seq: 3, ...settings(true) }, missed: [hiddenAt(3)], resync: false } });
    assert.equal(caughtUp.hidden, true);
    assert.equal(caughtUp.seq, 3);
  });

  test('removed (deleted, or not found when catching up): gone for staff too, and nothing the server says is applied after it', () => {
    const state = run(start(), { type: 'event', event: created(comment('b', 3)) }, { type: 'removed' });
    assert.equal(threadGone(state, { staff: true }), true);
    assert.equal(threadGone(state, { staff: false }), true);
    const after = run(
      state,
      { type: 'event', event: created(comment('new-thread-comment', 4)) },
      { type: 'catch-up', catchUp: { thread: { slug: 's', seq: 1, ...settings(false) }, missed: [], resync: false } },
      { type: 'replace', seq: 1, settings: settings(false), comments: [comment('x', 1)], nextCursor: null, total: 1 },
    );
    assert.equal(after, state, 'the slug may name a new thread now: none of it reaches this page');
    assert.equal(run(state, { type: 'removed' }), state);
  });

  test('a catch-up from an older server, which says nothing of hiding, leaves the thread shown', () => {
    const old = { slug: 's', seq: 2, locked: false, slowModeSeconds: 0, preModeration: false } as CatchUp['thread'];
    const state = run(start(), { type: 'catch-up', catchUp: { thread: old, missed: [], resync: false } });
    assert.equal(state.hidden, false);
  });
});
