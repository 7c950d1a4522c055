import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expiresAt, noteSeen, REPLY_NOTICE_MS, replyGroup, restartClock } from './replyNotices';
import type { ReplyToMe } from './threadState';

const reply = (id: string, author: string | null): ReplyToMe => ({ id, author, parentId: 'mine' });

describe('one notice for the replies to a reader', () => {
  test('none: no notice', () => {
    assert.equal(replyGroup([]), null);
  });

  test('grouped: every reply, the oldest to visit first, each replier named once', () => {
    const replies = [reply('r1', 'Bob'), reply('r2', 'Carol'), reply('r3', 'Bob')];
    const group = replyGroup(replies)!;
    assert.deepEqual(group.ids, ['r1', 'r2', 'r3']);
    assert.equal(group.next.id, 'r1');
    assert.deepEqual(group.names, ['Bob', 'Carol']);
    assert.equal(group.others, 0);
  });

  test('many repliers: two names and how many others', () => {
    const replies = ['A', 'B', 'C', 'D', null].map((name, i) => reply(`r${i}`, name));
    const group = replyGroup(replies)!;
    assert.deepEqual(group.names, ['A', 'B']);
    assert.equal(group.others, 3);
    assert.deepEqual(replyGroup(replies.slice(2))!.names, ['C', 'D', null], 'three fit: all named, null is someone unnamed');
  });

  test('it goes a while after its newest reply was first seen; not before every reply has been seen', () => {
    const two = [reply('r1', 'Bob'), reply('r2', 'Bob')];
    assert.equal(expiresAt(two, { r1: 100, r2: 500 }), 500 + REPLY_NOTICE_MS);
    assert.equal(expiresAt(two, { r1: 100 }), null);
    assert.equal(expiresAt([reply('r1', 'Bob')], { r1: 100 }, 50), 150);
    assert.equal(expiresAt([], {}), null);
  });
});

describe('when the page saw each reply', () => {
  test('new replies are stamped now, earlier stamps kept, dismissed ones forgotten; unchanged is the same object', () => {
    const seen = noteSeen({}, [reply('r1', 'Bob')], 10);
    assert.deepEqual(seen, { r1: 10 });
    assert.equal(noteSeen(seen, [reply('r1', 'Bob')], 99), seen);
    assert.deepEqual(noteSeen(seen, [reply('r1', 'Bob'), reply('r2', 'Ann')], 20), { r1: 10, r2: 20 });
    assert.deepEqual(noteSeen({ r1: 10, r2: 20 }, [reply('r2', 'Ann')], 30), { r2: 20 });
  });

  test('a page shown again after the notice ran out while hidden starts its clock over', () => {
    assert.deepEqual(restartClock([reply('r1', 'Bob'), reply('r2', 'Ann')], 70), { r1: 70, r2: 70 });
  });
});
