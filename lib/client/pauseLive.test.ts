import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CatchUp, CommentView, ThreadEventWire } from '../contract/api';
import { flattenTree } from '../domain/tree';
import { comment } from './commentFixture';
import { heard, initialState, localId, missingFrom, newWhilePaused, reduce, visibleTree, type ThreadAction, type ThreadState } from './threadState';

const created = (c: CommentView, clientId?: string): ThreadEventWire => ({ slug: 's', seq: c.seq, type: 'comment.created', comment: c, ...(clientId && { clientId }) });
const catchUp = (seq: number, missed: ThreadEventWire[]): { type: 'catch-up'; catchUp: CatchUp } => ({
  type: 'catch-up',
  catchUp: { thread: { slug: 's', seq, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false }, missed, resync: false },
});
const start = (): ThreadState => initialState({ slug: 's', sort: 'oldest', seq: 2, locked: false, comments: [comment('a', 2)] });
const run = (state: ThreadState, ...actions: ThreadAction[]) => actions.reduce(reduce, state);
const ids = (state: ThreadState) => flattenTree(visibleTree(state)).map((c) => c.id);

/** "Pause live" (issue 19): held events are not shown, counted, and shown in order on resume; seq stays exact. */
describe('pausing live updates', () => {
  test('events are held and counted while paused; resume shows them in order, new top-level ones too', () => {
    let state = run(start(), { type: 'pause' });
    state = run(state, { type: 'event', event: created(comment('r1', 3, 'a')) }, { type: 'event', event: created(comment('top', 4)) });
    state = run(state, { type: 'event', event: { slug: 's', seq: 5, type: 'comment.updated', comment: comment('a', 2, null, { body: 'edited', html: '<p>edited</p>' }) } });
    assert.deepEqual(ids(state), ['a'], 'nothing new is shown');
    assert.equal(state.comments.a?.body, 'a', 'an edit waits too');
    assert.equal(state.seq, 2);
    assert.equal(heard(state).seq, 5, 'the connection asks after what it heard');
    assert.equal(newWhilePaused(state), 2, 'a reply and a top-level comment; an edit is not new');
    state = run(state, { type: 'resume' });
    assert.equal(state.paused, null);
    assert.equal(state.seq, 5);
    assert.deepEqual(ids(state), ['a', 'r1', 'top'], 'the new top-level comment is not kept behind the button');
    assert.equal(state.comments.a?.body, 'edited');
    assert.equal(state.comments.r1?.fresh, true, 'highlighted as arrivals are');
    assert.equal(newWhilePaused(state), 0);
  });

  test('seq stays exact while paused: a gap is reported on what was heard, a catch-up fills it, repeats are dropped', () => {
    let state = run(start(), { type: 'pause' }, { type: 'event', event: created(comment('c4', 4, 'a')) });
    assert.equal(missingFrom(heard(state)), 2, 'seq 3 is missing from what was heard');
    assert.equal(missingFrom(state), null, 'the shown state has no gap of its own');
    state = run(state, catchUp(4, [created(comment('c3', 3, 'a')), created(comment('c4', 4, 'a'))]), { type: 'event', event: created(comment('c4', 4, 'a')) });
    assert.equal(missingFrom(heard(state)), null);
    assert.equal(heard(state).seq, 4);
    assert.equal(newWhilePaused(state), 2, 'the repeated c4 counts once');
    state = run(state, { type: 'resume' });
    assert.deepEqual(ids(state), ['a', 'c3', 'c4']);
    assert.equal(state.seq, 4);
  });

  test('the reader’s own doings show at once while paused; their comment is not counted as new', () => {
    let state = run(start(), { type: 'pause' }, { type: 'send', clientId: 'k', parentId: 'a', body: 'mine', authorName: 'Me' });
    assert.ok(state.comments[localId('k')], 'one’s own comment shows at once');
    state = run(state, { type: 'event', event: created(comment('m', 3, 'a'), 'k') }, { type: 'sent', clientId: 'k', comment: comment('m', 3, 'a') });
    assert.equal(state.comments.m?.mine, true);
    assert.equal(newWhilePaused(state), 0);
    state = run(state, { type: 'like', id: 'a', liked: true });
    assert.equal(state.comments.a?.likes, 1, 'a like shows at once');
    state = run(state, { type: 'resume' });
    assert.deepEqual(ids(state), ['a', 'm']);
    assert.equal(state.comments.a?.likes, 1);
    assert.equal(state.comments.a?.likedByMe, true);
  });

  test('a reload (replace) while paused is held too; pausing twice changes nothing; a deleted thread ends the pause', () => {
    const paused = run(start(), { type: 'pause' });
    assert.equal(run(paused, { type: 'pause' }), paused);
    const replaced = run(paused, { type: 'replace', seq: 9, settings: { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false, commentPolicy: null }, comments: [comment('a', 2), comment('z', 9)], nextCursor: null, total: 2 });
    assert.equal(replaced.locked, false);
    assert.equal(heard(replaced).seq, 9);
    assert.equal(newWhilePaused(replaced), 1);
    assert.equal(run(replaced, { type: 'resume' }).locked, true);
    const gone = run(replaced, { type: 'removed' });
    assert.equal(gone.removed, true);
    assert.equal(gone.paused, null);
  });

  test('comments in branches not loaded count as new while paused', () => {
    let state = initialState({ slug: 's', sort: 'oldest', seq: 2, locked: false, comments: [comment('a', 2)], nextCursor: 'c', total: 3 });
    state = run(state, { type: 'pause' }, { type: 'event', event: created({ ...comment('far', 3, 'b'), rootId: 'b' }) });
    assert.equal(newWhilePaused(state), 1);
  });
});
