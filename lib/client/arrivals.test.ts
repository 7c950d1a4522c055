import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommentView } from '../contract/api';
import { arrivalsView, cameBack, firstShown, isBack, leave, missedSince, unseen, type Away } from './arrivals';
import { comment } from './commentFixture';
import { initialState, visibleTree, type ClientComment } from './threadState';

function comments(...list: (CommentView & { mine?: boolean; local?: ClientComment['local'] })[]): Record<string, ClientComment> {
  return Object.fromEntries(list.map((c) => [c.id, { ...c, mine: c.mine ?? false }]));
}

describe('what came while the reader was away', () => {
  test('leaving remembers what the page had; a second loss before the return keeps the first snapshot', () => {
    const away = leave(null, comments(comment('a', 1)), 3);
    assert.deepEqual([...away.known], ['a']);
    assert.equal(away.synced, 3);
    assert.equal(leave(away, comments(comment('a', 1), comment('b', 2)), 4), away);
  });

  test('back means connected and caught up after the loss, not merely connected', () => {
    const away: Away = { known: new Set(), synced: 3 };
    assert.equal(isBack(away, 'offline', 4), false);
    assert.equal(isBack(away, 'live', 3), false, 'the catch-up has not answered yet');
    assert.equal(isBack(away, 'live', 4), true);
    assert.equal(isBack(null, 'live', 4), false);
  });

  test("missed: others' visible comments that are new, in the order they were posted", () => {
    const now = comments(
      comment('known', 1),
      comment('later', 5),
      comment('reply', 4, 'known'),
      { ...comment('mine', 6), mine: true },
      comment('held', 7, null, { status: 'pending' }),
      comment('gone', 8, null, { status: 'deleted' }),
      { ...comment('local-x', 9), mine: true, local: { state: 'sending', clientId: 'x' } },
    );
    assert.deepEqual(missedSince(new Set(['known']), now), ['reply', 'later']);
  });

  test('a second absence adds to what the first left unvisited, once each', () => {
    const first = cameBack(null, ['a', 'b'], 10);
    assert.deepEqual(cameBack(first, ['b', 'c'], 20), { ids: ['a', 'b', 'c'], at: 20 });
  });
});

describe('where the pill takes the reader', () => {
  test('unseen: missed and held together, once each, only while they are shown', () => {
    const now = comments(comment('a', 1), comment('b', 2), comment('c', 3, null, { status: 'removed' }));
    assert.deepEqual(unseen({ back: { ids: ['a', 'c'], at: 0 }, held: ['b', 'a'], comments: now, rootId: null }), ['a', 'b']);
    assert.deepEqual(unseen({ back: null, held: [], comments: now, rootId: null }), []);
  });

  test("a branch page counts its branch only: a held new branch is not, a held reply in it is", () => {
    const now = comments(comment('a', 1), comment('r', 3, 'a'), comment('b', 2), comment('rb', 4, 'b'), comment('ra', 5, 'a'));
    assert.deepEqual(unseen({ back: { ids: ['r', 'rb'], at: 0 }, held: ['b'], comments: now, rootId: 'a' }), ['r']);
    assert.deepEqual(unseen({ back: null, held: ['b', 'ra'], comments: now, rootId: 'a' }), ['ra']);
  });

  test('the first in the order the page shows them: a reply high up comes before a new comment at the end', () => {
    const state = initialState({ slug: 's', sort: 'oldest', seq: 4, locked: false, comments: [comment('a', 1), comment('b', 2), comment('new', 4), comment('reply', 3, 'a')] });
    const tree = visibleTree(state);
    assert.equal(firstShown(tree, new Set(['new', 'reply'])), 'reply');
    const newest = visibleTree({ ...state, sort: 'newest' });
    assert.equal(firstShown(newest, new Set(['new', 'reply'])), 'new', 'newest first: the new comment is at the top');
    assert.equal(firstShown(tree, new Set(['elsewhere'])), null);
  });
});

describe('what the pill says', () => {
  const away: Away = { known: new Set(), synced: 1 };

  test('offline or reconnecting after having been live: says so, and keeps the held button', () => {
    assert.deepEqual(arrivalsView({ presence: 'offline', away, back: null, unseen: ['a'] }), { status: 'offline', button: { back: false, count: 1 } });
    assert.deepEqual(arrivalsView({ presence: 'reconnecting', away, back: null, unseen: [] }), { status: 'reconnecting', button: null });
  });

  test('first connection: nothing to say', () => {
    assert.deepEqual(arrivalsView({ presence: 'connecting', away: null, back: null, unseen: [] }), { status: null, button: null });
  });

  test('back: "Back — N new comments" as the button, or "nothing new" alone', () => {
    assert.deepEqual(arrivalsView({ presence: 'live', away: null, back: { ids: ['a', 'b'], at: 0 }, unseen: ['a', 'b', 'c'] }), { status: null, button: { back: true, count: 3 } });
    assert.deepEqual(arrivalsView({ presence: 'live', away: null, back: { ids: [], at: 0 }, unseen: [] }), { status: 'upToDate', button: null });
    assert.deepEqual(arrivalsView({ presence: 'live', away: null, back: null, unseen: ['c'] }), { status: null, button: { back: false, count: 1 } });
  });
});
