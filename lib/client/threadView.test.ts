import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EDIT_WINDOW_MS } from '../contract/api';
import { comment } from './commentFixture';
import type { ClientComment } from './threadState';
import { itemView, type ThreadView } from './threadView';
import { shallowEqual } from './viewStore';

const CREATED = Date.parse('2026-11-27T10:00:00.000Z');

function view(overrides: Partial<ThreadView> = {}): ThreadView {
  return {
    slug: 's',
    sort: 'oldest',
    locked: false,
    now: CREATED + 60_000,
    live: true,
    replyTo: null,
    moderator: false,
    keepsIdentity: true,
    blocked: () => null,
    waitNote: null,
    preModeration: false,
    guestReview: false,
    signInHref: null,
    clientIdFor: (parentId) => `seed-${parentId ?? 'top'}`,
    collapsed: {},
    typing: {},
    connected: true,
    focusedId: null,
    qa: false,
    answers: new Set(),
    ...overrides,
  };
}

const theirs: ClientComment = { ...comment('a', 1), mine: false };
const mine: ClientComment = { ...comment('m', 2), mine: true };

describe('what a comment shows of the page around it', () => {
  test('focus, the open reply box, a fold and typing concern the comment they are about only', () => {
    const page = view({ focusedId: 'a', replyTo: 'a', collapsed: { a: 2 }, typing: { a: 1 } });
    const a = itemView(page, theirs);
    assert.equal(a.focused, true);
    assert.equal(a.replying, true);
    assert.equal(a.folded, true);
    assert.equal(a.newWhileFolded, 2);
    assert.equal(a.typing, true);
    const other = itemView(page, { ...theirs, id: 'b' });
    assert.deepEqual([other.focused, other.replying, other.folded, other.newWhileFolded, other.typing], [false, false, false, 0, false]);
  });

  test('the reply box’s countdown, connection and clientId reach the comment whose box is open, no other', () => {
    const page = view({ replyTo: 'a', waitNote: 'Wait 9 s', connected: true, preModeration: true });
    assert.deepEqual(
      (({ waitNote, connected, preModeration, clientId }) => ({ waitNote, connected, preModeration, clientId }))(itemView(page, theirs)),
      { waitNote: 'Wait 9 s', connected: true, preModeration: true, clientId: 'seed-a' },
    );
    const ticked = view({ replyTo: 'a', waitNote: 'Wait 8 s', connected: false });
    const b = { ...theirs, id: 'b' };
    assert.ok(shallowEqual(itemView(page, b), itemView(ticked, b)), 'a comment without the box is the same while the countdown runs');
  });

  test('a clock tick changes nothing for a comment that is not the reader’s own', () => {
    assert.ok(shallowEqual(itemView(view({ now: CREATED + 60_000 }), theirs), itemView(view({ now: CREATED + 75_000 }), theirs)));
  });

  test('the reader’s own comment is editable within the edit window, while the server knows them and the thread is open', () => {
    assert.equal(itemView(view(), mine).editable, true);
    assert.equal(itemView(view({ now: CREATED + EDIT_WINDOW_MS }), mine).editable, false, 'the window has closed');
    assert.equal(itemView(view({ now: null }), mine).editable, false, 'before the page is live');
    assert.equal(itemView(view({ keepsIdentity: false }), mine).editable, false);
    assert.equal(itemView(view({ locked: true }), mine).editable, false);
    assert.equal(itemView(view(), { ...mine, local: { state: 'sending', clientId: 'x' } }).editable, false, 'not yet stored');
    assert.equal(itemView(view(), theirs).editable, false);
  });

  test('why a reply would be refused is asked for this comment', () => {
    const page = view({ blocked: (id) => (id === 'a' ? 'locked branch' : null) });
    assert.equal(itemView(page, theirs).blocked, 'locked branch');
    assert.equal(itemView(page, mine).blocked, null);
  });

  test('in a Q&A thread a top-level comment is a question, and the reply that answers it says so', () => {
    const reply: ClientComment = { ...comment('r', 3, 'a'), mine: false };
    const page = view({ qa: true, answers: new Set(['r']) });
    assert.equal(itemView(page, theirs).question, true);
    assert.equal(itemView(page, reply).question, false);
    assert.equal(itemView(page, reply).answer, true);
    assert.equal(itemView(view(), theirs).question, false);
  });
});
