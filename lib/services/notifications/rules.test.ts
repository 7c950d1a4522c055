import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Comment } from '../../domain/types';
import { candidatesOf, noticesFor, pendingNotices, type Audience, type NoticeChange } from './rules';

const comment = (over: Partial<Comment> = {}): Comment => ({
  id: 'c1',
  threadId: 't1',
  parentId: 'p1',
  depth: 2,
  rootId: 'p1',
  status: 'visible',
  authorName: 'Ben',
  authorGuestId: 'ben',
  clientId: null,
  body: 'Hello',
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
  seq: 2,
  locked: false,
  pinned: false,
  heldReason: null,
  likes: 0,
  ...over,
});
const everyone = (ids: string[], over: Partial<Audience> = {}): Audience => ({ actorSilenced: false, accounts: new Set(ids), muting: new Set(), blocking: new Set(), ...over });
const told = (change: NoticeChange, audience: Audience) => noticesFor(change, audience).map((n) => `${n.kind}${n.decision ? `:${n.decision}` : ''} ${n.recipientId}`);

test('a reply tells its parent’s author; mentions tell each person named; a reply that names its parent’s author is one reply', () => {
  const change: NoticeChange = { cause: 'posted', comment: comment({ mentions: [{ id: 'ann', name: 'Ann' }, { id: 'cat', name: 'Cat' }] }), parentAuthorId: 'ann' };
  assert.deepEqual(told(change, everyone(['ann', 'cat'])), ['reply ann', 'mention cat']);
});

test('one’s own reply or mention, a guest, a muter and a blocker are told nothing; a silenced author tells nobody', () => {
  const change: NoticeChange = {
    cause: 'posted',
    comment: comment({ mentions: [{ id: 'ben', name: 'Ben' }, { id: 'guest', name: 'G' }, { id: 'mut', name: 'M' }, { id: 'blk', name: 'B' }, { id: 'ok', name: 'O' }] }),
    parentAuthorId: 'ben',
  };
  const audience = everyone(['ben', 'mut', 'blk', 'ok'], { muting: new Set(['mut']), blocking: new Set(['blk']) });
  assert.deepEqual(told(change, audience), ['mention ok']);
  assert.deepEqual(told(change, { ...audience, actorSilenced: true }), []);
});

test('at most MAX_MENTIONS_PER_COMMENT people, in the order named; 500 names cost no more candidates', () => {
  const mentions = Array.from({ length: 500 }, (_, i) => ({ id: `p${i}`, name: `P${i}` }));
  const change: NoticeChange = { cause: 'posted', comment: comment({ parentId: null, mentions }), parentAuthorId: null };
  assert.equal(candidatesOf(change).length, 10);
  assert.deepEqual(
    noticesFor(change, everyone(mentions.map((m) => m.id))).map((n) => n.recipientId),
    mentions.slice(0, 10).map((m) => m.id),
  );
});

test('a held comment tells its author it is held, and nobody else until it is approved', () => {
  const held = comment({ status: 'pending', heldReason: 'pre_moderation', mentions: [{ id: 'cat', name: 'Cat' }] });
  const decision = { commentId: 'c1', reason: null, moderatorId: null, heldReason: 'pre_moderation' as const };
  assert.deepEqual(told({ cause: 'decided', comment: held, parentAuthorId: null, decision: { ...decision, decision: 'held' } }, everyone(['ben', 'ann', 'cat'])), ['moderation:held ben']);
  const approved = { ...held, status: 'visible' as const, heldReason: null };
  assert.deepEqual(told({ cause: 'decided', comment: approved, parentAuthorId: 'ann', decision: { ...decision, decision: 'approved', moderatorId: 'mod' } }, everyone(['ben', 'ann', 'cat'])), [
    'reply ann',
    'mention cat',
    'moderation:approved ben',
  ]);
});

test('a decision on a comment held for a shadow-ban is never told; one undone before the notifier ran is not told; one’s own decision is not told', () => {
  const base = { commentId: 'c1', reason: 'spam', moderatorId: 'mod' };
  const shadow = comment({ status: 'removed', heldReason: null });
  assert.deepEqual(told({ cause: 'decided', comment: shadow, parentAuthorId: null, decision: { ...base, decision: 'removed', heldReason: 'shadow_banned' } }, everyone(['ben'])), []);
  assert.deepEqual(told({ cause: 'decided', comment: comment(), parentAuthorId: null, decision: { ...base, decision: 'removed', heldReason: null } }, everyone(['ben'])), [], 'restored already: visible');
  assert.deepEqual(told({ cause: 'decided', comment: comment({ status: 'deleted' }), parentAuthorId: null, decision: { ...base, decision: 'removed', heldReason: null } }, everyone(['ben'])), ['moderation:removed ben']);
  assert.deepEqual(told({ cause: 'decided', comment: comment({ status: 'removed' }), parentAuthorId: null, decision: { ...base, moderatorId: 'ben', decision: 'removed', heldReason: null } }, everyone(['ben'])), []);
});

test('an edit tells only the people it names (its parent’s author was told when it was posted)', () => {
  const change: NoticeChange = { cause: 'edited', comment: comment({ editedAt: '2026-01-01T00:01:00.000Z', mentions: [{ id: 'cat', name: 'Cat' }] }), parentAuthorId: null };
  assert.deepEqual(told(change, everyone(['ann', 'cat'])), ['mention cat']);
});

test('the store is asked, for each notice the pure phases keep, the facts of every audience phase that concerns it; a notice the pure phases drop costs no question', () => {
  const asked = (change: NoticeChange) => pendingNotices(change).map((n) => `${n.kind} ${n.recipientId}: ${[...n.checks].sort().join(', ')}`);
  const reply: NoticeChange = { cause: 'posted', comment: comment({ mentions: [{ id: 'cat', name: 'Cat' }, { id: 'ben', name: 'Ben' }] }), parentAuthorId: 'ann' };
  const byAuthor = 'actorNotSilenced, recipientHasAccount, recipientNotMuting, threadNotBlocked';
  assert.deepEqual(asked(reply), [`reply ann: ${byAuthor}`, `mention cat: ${byAuthor}`]);
  const removed: NoticeChange = { cause: 'decided', comment: comment({ status: 'removed' }), parentAuthorId: null, decision: { commentId: 'c1', decision: 'removed', reason: null, moderatorId: 'mod', heldReason: null } };
  assert.deepEqual(asked(removed), ['moderation ben: recipientHasAccount, threadNotBlocked'], 'a decision is told without its moderator: no mute or standing asked');
  assert.deepEqual(asked({ cause: 'posted', comment: comment(), parentAuthorId: 'ben' }), [], 'a reply to oneself asks nothing');
});

test('a pick tells its author, with the note, as a notice of its own kind, never its mentions again; not if unfeatured, removed, their own, or shadow-held', () => {
  const featured = comment({ pinned: true, mentions: [{ id: 'cat', name: 'Cat' }] });
  const pick = { commentId: 'c1', decision: 'featured' as const, reason: 'Sharp', moderatorId: 'mod', heldReason: null };
  const change: NoticeChange = { cause: 'decided', comment: featured, parentAuthorId: null, decision: pick };
  assert.deepEqual(noticesFor(change, everyone(['ben', 'cat'])).map((n) => [n.kind, n.recipientId, n.decision, n.reason, n.actorId]), [['featured', 'ben', null, 'Sharp', null]]);
  // A moderator the author muted is not the actor: the pick is told.
  assert.deepEqual(told(change, everyone(['ben'], { muting: new Set(['ben']), actorSilenced: true })), ['featured ben']);
  assert.deepEqual(told({ ...change, comment: { ...featured, pinned: false } }, everyone(['ben'])), [], 'unfeatured before the notifier ran');
  assert.deepEqual(told({ ...change, comment: { ...featured, status: 'removed' } }, everyone(['ben'])), []);
  assert.deepEqual(told({ ...change, decision: { ...pick, moderatorId: 'ben' } }, everyone(['ben'])), [], 'a moderator featuring their own comment');
  assert.deepEqual(told({ ...change, decision: { ...pick, heldReason: 'shadow_banned' } }, everyone(['ben'])), []);
});
