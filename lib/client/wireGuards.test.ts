import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import { CatchUpSchema, CommentResponseSchema, CommentViewSchema, LikeResponseSchema, ThreadEventWireSchema, ThreadResponseSchema, ViewerResponseSchema } from '../contract/api';
import { ErrorResponseSchema } from '../contract/errors';
import { comment } from './commentFixture';
import { errorOf, hasComment, isCatchUp, isCommentView, isKnownEvent, isLikeResponse, isThreadResponse, isViewerResponse } from './wireGuards';

/**
 * The page checks what the server sends with light guards (./wireGuards.ts) instead of the
 * contract's zod schemas, which stay on the server (issue 15). They must agree: whatever the
 * contract accepts, the page accepts; whatever the page refuses, the contract refuses too. Each
 * fixture is taken apart field by field (removed, null, the wrong type) to find a disagreement.
 */

type Guard = (value: unknown) => boolean;

const thread = { slug: 's', seq: 4, locked: false, slowModeSeconds: 0, preModeration: false, hidden: false };
const c = comment('a', 2);
const reply = comment('b', 3, 'a', { likes: 2, editedAt: '2026-11-27T10:02:00.000Z', likedByMe: true });

const PAIRS: { name: string; guard: Guard; schema: z.ZodType; fixtures: unknown[] }[] = [
  { name: 'a comment', guard: isCommentView, schema: CommentViewSchema, fixtures: [c, reply, comment('gone', 4, null, { status: 'deleted', author: { name: null }, body: '', html: '', createdAt: null })] },
  {
    name: 'a page of the thread',
    guard: isThreadResponse,
    schema: ThreadResponseSchema,
    fixtures: [
      { thread: { ...thread, title: 'T', commentCount: 2 }, comments: [c, reply], nextCursor: null },
      { thread: { ...thread, title: 'T', commentCount: 9 }, comments: [], nextCursor: '12' },
    ],
  },
  {
    name: 'an event',
    guard: isKnownEvent,
    schema: ThreadEventWireSchema,
    fixtures: [
      { slug: 's', seq: 5, type: 'comment.created', comment: c, clientId: 'k1' },
      { slug: 's', seq: 5, type: 'comment.updated', comment: reply },
      { slug: 's', seq: 5, type: 'thread.updated', thread: { locked: true, slowModeSeconds: 30, preModeration: false, hidden: false } },
      { slug: 's', seq: 1, type: 'thread.created', thread: { title: 'T', locked: false } },
      { slug: 's', seq: 6, type: 'comment.liked', commentId: 'a', likes: 3 },
    ],
  },
  {
    name: 'a catch-up',
    guard: isCatchUp,
    schema: CatchUpSchema,
    fixtures: [
      { thread, missed: [{ slug: 's', seq: 5, type: 'comment.liked', commentId: 'a', likes: 1 }], resync: false },
      { thread, missed: [], resync: true },
    ],
  },
  { name: 'a like', guard: isLikeResponse, schema: LikeResponseSchema, fixtures: [{ likes: 1, liked: true, changed: true }] },
  {
    name: "a reader's own state",
    guard: isViewerResponse,
    schema: ViewerResponseSchema,
    fixtures: [
      { staff: null, account: null, own: [reply], liked: ['a'] },
      { staff: null, account: { id: 'p1', displayName: 'Ada', role: 'commenter', badges: ['expert'] }, own: [], liked: [] },
      { staff: { username: 'mod', role: 'moderator' }, account: { id: 'p2', displayName: 'mod', role: 'moderator', badges: [] }, own: [], liked: [] },
    ],
  },
  { name: 'a changed comment', guard: hasComment, schema: CommentResponseSchema, fixtures: [{ comment: reply }] },
  {
    name: 'a refusal',
    guard: (value) => errorOf(value) !== null,
    schema: ErrorResponseSchema,
    fixtures: [{ error: { code: 'rate_limited', message: 'Slow down.', retryAfter: 3 } }, { error: { code: 'invalid_request', message: 'No.', fields: { body: ['must not be empty'] } } }],
  },
];

/** Every way of breaking one field of `value` (recursively): removed, null, a value of another type. */
function* variants(value: unknown, at: string[] = []): Generator<{ at: string; value: unknown }> {
  if (typeof value !== 'object' || value === null) return;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, field] of entries) {
    const where = [...at, key].join('.');
    const replace = (next: unknown) => (Array.isArray(value) ? value.map((v, i) => (String(i) === key ? next : v)) : { ...value, [key]: next });
    if (!Array.isArray(value)) {
      const { [key]: _dropped, ...rest } = value as Record<string, unknown>;
      yield { at: `${where} removed`, value: rest };
    }
    for (const wrong of [null, 'text', -1, 1.5, true, [], {}]) if (JSON.stringify(wrong) !== JSON.stringify(field)) yield { at: `${where} = ${JSON.stringify(wrong)}`, value: replace(wrong) };
    for (const inner of variants(field, [...at, key])) yield { at: inner.at, value: replace(inner.value) };
  }
}

describe('the page\'s guards and the contract agree', () => {
  for (const { name, guard, schema, fixtures } of PAIRS) {
    test(`${name}: what the contract sends, the page reads; what the page refuses, the contract refuses`, () => {
      let refused = 0;
      for (const fixture of fixtures) {
        assert.ok(schema.safeParse(fixture).success, `the fixture itself is valid: ${JSON.stringify(fixture)}`);
        assert.ok(guard(fixture), `the page reads a valid ${name}: ${JSON.stringify(fixture)}`);
        for (const variant of variants(fixture)) {
          if (guard(variant.value)) continue;
          refused++;
          assert.equal(schema.safeParse(variant.value).success, false, `the page refuses ${name} with ${variant.at}, which the contract accepts`);
        }
      }
      // The guards check something: a guard that took anything would pass the loop above.
      assert.ok(refused > 0, `the page refuses no broken ${name}`);
    });
  }
});

test('a banned refusal keeps why and until when; a malformed ban is left out, not trusted', () => {
  const until = '2030-01-01T00:00:00.000Z';
  assert.deepEqual(errorOf({ error: { code: 'banned', message: 'x', ban: { reason: 'spam', until } } }), { code: 'banned', ban: { reason: 'spam', until } });
  assert.deepEqual(errorOf({ error: { code: 'banned', message: 'x', ban: { reason: 'spam', until: null } } }), { code: 'banned', ban: { reason: 'spam', until: null } });
  assert.deepEqual(errorOf({ error: { code: 'banned', message: 'x', ban: { reason: 5, until } } }), { code: 'banned' });
  assert.deepEqual(errorOf({ error: { code: 'banned', message: 'x', ban: { reason: 'r', until: 'soon' } } }), { code: 'banned' });
});
