import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ThreadEvent } from '../domain/events';
import type { Comment, Thread } from '../domain/types';
import {
  CorruptRowError,
  commentFromRow,
  commentToRow,
  eventFromRow,
  eventToRow,
  threadFromRow,
  threadToRow,
} from './mappers';
import type { CommentRow, ThreadEventRow, ThreadRow } from './schema';

const THREAD: Thread = {
  id: 't1',
  slug: 'some-news',
  title: 'Some News',
  article: 'First paragraph.\n\nSecond.',
  locked: true,
  seq: 12,
  source: 'seed:000_x.txt',
  createdAt: '2024-05-01T10:00:00.000Z',
  slowModeSeconds: 0,
  preModeration: true,
  articleUrl: 'https://news.example.com/2024/05/some-news',
  hidden: false,
  commentPolicy: 'guests-premoderated',
  qa: true,
  closesAt: '2024-05-03T18:00:00.000Z',
};

const REPLY: Comment = {
  id: 'c2',
  threadId: 't1',
  parentId: 'c1',
  depth: 2,
  rootId: 'c1',
  status: 'visible',
  authorName: 'Ann',
  authorGuestId: 'g1',
  clientId: 'draft-1',
  body: 'Hello *there*',
  createdAt: '2024-05-01T10:05:00.000Z',
  editedAt: '2024-05-01T10:06:00.000Z',
  seq: 3,
  locked: false,
  pinned: true,
  heldReason: null,
  likes: 0,
};

/** An imported top-level comment: no parent, author or date. */
const IMPORTED: Comment = { ...REPLY, id: 'c1', parentId: null, depth: 1, status: 'unavailable', authorName: null, authorGuestId: null, clientId: null, body: '', createdAt: null, editedAt: null, seq: 2 };

function threadRow(overrides: Partial<Record<keyof ThreadRow, unknown>> = {}): ThreadRow {
  return { ...threadToRow(THREAD), ...overrides } as ThreadRow;
}

function commentRow(overrides: Partial<Record<keyof CommentRow, unknown>> = {}): CommentRow {
  return { ...commentToRow(REPLY), ...overrides } as CommentRow;
}

function assertCorrupt(fn: () => unknown, problem: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CorruptRowError, `expected CorruptRowError, got ${String(err)}`);
    assert.equal(err.name, 'CorruptRowError');
    assert.match(err.message, problem);
    return true;
  });
}

describe('threads', () => {
  test('round-trip thread → row → thread', () => {
    assert.deepEqual(threadFromRow(threadToRow(THREAD)), THREAD);
    const open: Thread = { ...THREAD, locked: false, seq: 0, source: null, articleUrl: null };
    assert.deepEqual(threadFromRow(threadToRow(open)), open);
  });

  test('the row stores locked as 0/1 and uses snake_case', () => {
    assert.deepEqual(threadToRow(THREAD), {
      id: 't1',
      slug: 'some-news',
      title: 'Some News',
      article: 'First paragraph.\n\nSecond.',
      locked: 1,
      seq: 12,
      source: 'seed:000_x.txt',
      created_at: '2024-05-01T10:00:00.000Z',
      slow_mode_seconds: 0,
      pre_moderation: 1,
      article_url: 'https://news.example.com/2024/05/some-news',
      hidden: 0,
      comment_policy: 'guests-premoderated',
      qa: 1,
      closes_at: '2024-05-03T18:00:00.000Z',
    });
  });

  test('hidden round-trips as 0/1, and anything else is corrupt', () => {
    const hidden: Thread = { ...THREAD, hidden: true };
    assert.equal(threadToRow(hidden).hidden, 1);
    assert.deepEqual(threadFromRow(threadToRow(hidden)), hidden);
    assertCorrupt(() => threadFromRow(threadRow({ hidden: 2 })), /threads row t1: hidden must be 0 or 1, got 2/);
  });

  test('integers that PostgreSQL returns as strings become numbers', () => {
    const thread = threadFromRow(threadRow({ seq: '5' as never, locked: '1' as never }));
    assert.equal(thread.seq, 5);
    assert.equal(thread.locked, true);
  });

  test('locked other than 0 or 1 is corrupt', () => {
    assertCorrupt(() => threadFromRow(threadRow({ locked: 2 })), /threads row t1: locked must be 0 or 1, got 2/);
    assertCorrupt(() => threadFromRow(threadRow({ locked: -1 })), /threads row t1: locked/);
  });

  test('a seq that is not a whole number is corrupt', () => {
    assertCorrupt(() => threadFromRow(threadRow({ seq: 'abc' })), /seq must be an integer >= 0, got abc/);
    assertCorrupt(() => threadFromRow(threadRow({ seq: 1.5 })), /seq must be an integer/);
    assertCorrupt(() => threadFromRow(threadRow({ seq: -1 })), /seq must be an integer/);
  });

  test('a created_at that is not a time is corrupt', () => {
    assertCorrupt(() => threadFromRow(threadRow({ created_at: 'not a time' })), /threads row t1: created_at is not a time: not a time/);
  });
});

describe('comments', () => {
  test('round-trip comment → row → comment, for a reply', () => {
    assert.deepEqual(commentFromRow(commentToRow(REPLY)), REPLY);
  });

  test("a comment's mentions round-trip as JSON; none is NULL and reads back absent", () => {
    const named: Comment = { ...REPLY, body: 'hi @Ann Lee and @Bo', mentions: [{ id: 'u1', name: 'Ann Lee' }, { id: 'u2', name: 'Bo "B" O\'Neil' }] };
    const row = commentToRow(named);
    assert.equal(typeof row.mentions, 'string');
    assert.deepEqual(JSON.parse(row.mentions!), named.mentions);
    assert.deepEqual(commentFromRow(row), named);
    assert.equal(commentToRow(REPLY).mentions, null);
    assert.equal(commentToRow({ ...REPLY, mentions: [] }).mentions, null);
    assert.equal('mentions' in commentFromRow(commentToRow(REPLY)), false);
    // A row from before migration 0023 has no such column at all.
    const { mentions: _absent, ...older } = commentToRow(REPLY);
    assert.deepEqual(commentFromRow(older as CommentRow), REPLY);
  });

  test('mentions that are not a list of {id, name} are corrupt', () => {
    assertCorrupt(() => commentFromRow(commentRow({ mentions: 'not json' })), /comments row c2: mentions/);
    assertCorrupt(() => commentFromRow(commentRow({ mentions: '{"id":"u1"}' })), /comments row c2: mentions: mentions are not a list/);
    assertCorrupt(() => commentFromRow(commentRow({ mentions: '[{"id":7,"name":"x"}]' })), /comments row c2: mentions: a mention needs an id/);
  });

  test('round-trip keeps the nulls: parentId, authorName, createdAt', () => {
    const row = commentToRow(IMPORTED);
    assert.equal(row.parent_id, null);
    assert.equal(row.author_name, null);
    assert.equal(row.created_at, null);
    assert.deepEqual(commentFromRow(row), IMPORTED);
  });

  test('depth and seq given as strings become numbers', () => {
    const comment = commentFromRow(commentRow({ depth: '2', seq: '3' }));
    assert.equal(comment.depth, 2);
    assert.equal(comment.seq, 3);
  });

  test('an unknown status is corrupt', () => {
    assertCorrupt(() => commentFromRow(commentRow({ status: 'spam' })), /comments row c2: unknown status spam/);
  });

  test('depth 0 is corrupt', () => {
    assertCorrupt(() => commentFromRow(commentRow({ depth: 0, parent_id: null })), /comments row c2: depth must be an integer >= 1, got 0/);
  });

  test('a top-level comment (depth 1) with a parent is corrupt', () => {
    assertCorrupt(() => commentFromRow(commentRow({ depth: 1, parent_id: 'c1' })), /depth 1 does not match parent c1/);
  });

  test('a reply (depth 2) without a parent is corrupt', () => {
    assertCorrupt(() => commentFromRow(commentRow({ depth: 2, parent_id: null })), /depth 2 does not match parent none/);
  });

  test('a created_at that is not a time is corrupt', () => {
    assertCorrupt(() => commentFromRow(commentRow({ created_at: 'yesterday' })), /created_at is not a time: yesterday/);
  });

  test('seq 0 is corrupt: comments are created by an event, which is numbered from 1', () => {
    assertCorrupt(() => commentFromRow(commentRow({ seq: 0 })), /seq must be an integer >= 1/);
  });
});

describe('events', () => {
  const base = { threadId: 't1', createdAt: '2024-05-01T10:05:00.000Z' };
  const EVENTS: ThreadEvent[] = [
    { ...base, seq: 1, type: 'thread.created', thread: { slug: 'some-news', title: 'Some News', locked: false } },
    { ...base, seq: 2, type: 'comment.created', comment: IMPORTED },
    { ...base, seq: 3, type: 'comment.created', comment: REPLY },
    { ...base, seq: 4, type: 'thread.updated', thread: { locked: true, slowModeSeconds: 30, preModeration: false, hidden: false, commentPolicy: null, qa: false, closesAt: null } },
    { ...base, seq: 6, type: 'thread.updated', thread: { locked: false, slowModeSeconds: 0, preModeration: false, hidden: true, commentPolicy: 'accounts', qa: true, closesAt: '2024-05-03T18:00:00.000Z' } },
    { ...base, seq: 5, type: 'comment.updated', comment: REPLY },
  ];
  const commentOf = (event: ThreadEvent) => ('comment' in event ? event.comment : undefined);

  for (const event of EVENTS) {
    test(`round-trip event → row → event: ${event.type} #${event.seq}`, () => {
      const row = eventToRow(event);
      assert.equal(row.type, event.type);
      assert.equal(row.thread_id, 't1');
      assert.equal(row.seq, event.seq);
      assert.deepEqual(eventFromRow(row, commentOf(event)), event);
    });
  }

  test('the payload holds only the event data, not the columns', () => {
    const event = EVENTS[3];
    assert.ok(event);
    assert.deepEqual(JSON.parse(eventToRow(event).payload), { thread: { locked: true, slowModeSeconds: 30, preModeration: false, hidden: false, commentPolicy: null, qa: false, closesAt: null } });
  });

  function eventRow(overrides: Partial<ThreadEventRow>): ThreadEventRow {
    return { thread_id: 't1', seq: 7, type: 'thread.updated', comment_id: null, payload: '{"thread":{"locked":false}}', created_at: base.createdAt, ...overrides };
  }

  test('a comment event points at its comment and stores no copy of it', () => {
    const row = eventToRow(EVENTS[2]!);
    assert.equal(row.comment_id, 'c2');
    assert.equal(row.payload, '{}');
  });

  test('a comment event read without its comment is corrupt', () => {
    assertCorrupt(() => eventFromRow(eventRow({ type: 'comment.created', comment_id: 'c2', payload: '{}' })), /comment c2 is missing/);
    assertCorrupt(() => eventFromRow(eventRow({ type: 'comment.created', comment_id: 'c2', payload: '{}' }), IMPORTED), /comment c2 is missing/);
  });

  test('a seq given as a string becomes a number', () => {
    assert.equal(eventFromRow(eventRow({ seq: '7' as never })).seq, 7);
  });

  test('an unknown event type is corrupt', () => {
    assertCorrupt(() => eventFromRow(eventRow({ type: 'comment.deleted' })), /thread_events row t1#7: unknown type comment\.deleted/);
  });

  test('a payload that is not JSON is corrupt', () => {
    assertCorrupt(() => eventFromRow(eventRow({ payload: '{"thread":' })), /thread_events row t1#7: payload is not JSON/);
  });

  test('a payload that is JSON but not an object is corrupt', () => {
    assertCorrupt(() => eventFromRow(eventRow({ payload: 'null' })), /payload is not an object/);
    assertCorrupt(() => eventFromRow(eventRow({ payload: '42' })), /payload is not an object/);
  });

  test('a lock event written before slow mode existed reads with the defaults', () => {
    const event = eventFromRow(eventRow({ payload: '{"thread":{"locked":true}}' }));
    assert.deepEqual(event.type === 'thread.updated' && event.thread, { locked: true, slowModeSeconds: 0, preModeration: false, hidden: false, commentPolicy: null, qa: false, closesAt: null });
  });

  test("a thread's comment policy round-trips, NULL is the site's, and an unknown one is corrupt", () => {
    assert.deepEqual(threadFromRow(threadToRow({ ...THREAD, commentPolicy: null })).commentPolicy, null);
    assertCorrupt(() => threadFromRow(threadRow({ comment_policy: 'everyone' })), /unknown comment_policy everyone/);
  });

  test('an unknown held reason is corrupt', () => {
    assertCorrupt(() => commentFromRow(commentRow({ held_reason: 'vibes' })), /unknown held_reason vibes/);
  });

  test('the columns win over same-named keys smuggled into the payload', () => {
    const event = eventFromRow(eventRow({ payload: '{"type":"thread.created","threadId":"other","seq":99,"thread":{"locked":false}}' }));
    assert.equal(event.type, 'thread.updated');
    assert.equal(event.threadId, 't1');
    assert.equal(event.seq, 7);
  });
});
