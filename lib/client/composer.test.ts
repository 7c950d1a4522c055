import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BODY_MAX } from '../contract/api';
import { acceptsPost, afterEdit, afterFailure, bodyLength, draftProblem, HELD_RETRY_MS, IDLE, overLimit, type BoxStatus } from './composer';

const draft = (body: string, authorName = 'Ann') => ({ body, authorName });

test('a draft the server would refuse is caught before sending, by the server’s own rules', () => {
  assert.equal(draftProblem(draft('Hello')), null);
  assert.deepEqual(draftProblem(draft('  \n\t  ')), { field: 'body', rule: 'empty' });
  assert.deepEqual(draftProblem(draft('\u200b\u200b')), { field: 'body', rule: 'invisible' });
  assert.deepEqual(draftProblem(draft('x'.repeat(BODY_MAX + 1))), { field: 'body', rule: 'tooLong' });
  assert.deepEqual(draftProblem(draft('a\u0007b')), { field: 'body', rule: 'control' });
  // The body is what the writer looks at: its problem comes first.
  assert.deepEqual(draftProblem(draft('   ', '   ')), { field: 'body', rule: 'empty' });
  assert.deepEqual(draftProblem(draft('Hello', ' \n ')), { field: 'authorName', rule: 'empty' });
  assert.deepEqual(draftProblem(draft('Hello', 'Ann\u202e')), { field: 'authorName', rule: 'bidi' });
  // Bidi controls are fine in a body, as on the server.
  assert.equal(draftProblem(draft('a \u202eb')), null);
});

test('the limit counts what the server stores: trimmed, CRLF as one line break, an emoji as one', () => {
  assert.equal(bodyLength('  ab  '), 2);
  assert.equal(bodyLength('a\r\nb'), 3);
  assert.equal(bodyLength('🧵🧵'), 2);
  assert.equal(overLimit('🧵'.repeat(BODY_MAX)), false);
  assert.equal(overLimit(`  ${'x'.repeat(BODY_MAX)}\r\n`), false);
  assert.equal(overLimit('x'.repeat(BODY_MAX + 1)), true);
});

test('a post that did not arrive is held for the connection; one the server refused is not', () => {
  const at = { now: 1_000_000, online: false };
  assert.deepEqual(afterFailure({ code: 'offline' }, at), { state: 'held', offline: true, retryAt: at.now + HELD_RETRY_MS });
  // Online but unanswered: held, not called offline, tried again no sooner than the server asked.
  assert.deepEqual(afterFailure({ code: 'no_answer' }, { ...at, online: true }), { state: 'held', offline: false, retryAt: at.now + HELD_RETRY_MS });
  assert.deepEqual(afterFailure({ code: 'unavailable', retryAfter: 5 }, { ...at, online: true }), { state: 'held', offline: false, retryAt: at.now + 5000 });
  // The browser knows it is offline, whatever the failure looked like.
  assert.deepEqual(afterFailure({ code: 'no_answer' }, at), { state: 'held', offline: true, retryAt: at.now + HELD_RETRY_MS });
  for (const code of ['slow_mode', 'rate_limited', 'thread_locked', 'banned', 'invalid_request', 'internal']) {
    assert.deepEqual(afterFailure({ code, retryAfter: 30 }, at), { state: 'refused', code });
  }
  // A ban says why and until when: the box keeps it to say so.
  const ban = { reason: 'spam', until: '2030-01-01T00:00:00.000Z' };
  assert.deepEqual(afterFailure({ code: 'banned', ban }, at), { state: 'refused', code: 'banned', ban });
});

test('editing clears a complaint about the text, not a wait or a held post', () => {
  const held: BoxStatus = { state: 'held', offline: true, retryAt: 0 };
  assert.deepEqual(afterEdit({ state: 'invalid', problem: { field: 'body', rule: 'empty' } }), IDLE);
  assert.deepEqual(afterEdit({ state: 'refused', code: 'thread_locked' }), IDLE);
  assert.deepEqual(afterEdit({ state: 'refused', code: 'slow_mode' }), { state: 'refused', code: 'slow_mode' });
  assert.equal(afterEdit(held), held);
  assert.equal(afterEdit(IDLE), IDLE);
});

test('a box takes no second post while one is on its way or held', () => {
  assert.equal(acceptsPost(IDLE), true);
  assert.equal(acceptsPost({ state: 'refused', code: 'banned' }), true);
  assert.equal(acceptsPost({ state: 'sending' }), false);
  assert.equal(acceptsPost({ state: 'held', offline: true, retryAt: 0 }), false);
});
