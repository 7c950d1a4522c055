import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../domain/errors';
import { cursorBefore, parseCursor, parseThreadCursor, threadCursorOf } from './pageCursor';

test('cursors compare in each sort’s order, as the store pages', () => {
  assert.equal(cursorBefore('oldest', '12', '40'), true);
  assert.equal(cursorBefore('oldest', '40', '40'), false);
  assert.equal(cursorBefore('newest', '40', '12'), true);
  assert.equal(cursorBefore('newest', '12', '40'), false);
  // Most liked first; equal likes, oldest first.
  assert.equal(cursorBefore('top', '9.50', '3.10'), true);
  assert.equal(cursorBefore('top', '3.10', '3.50'), true);
  assert.equal(cursorBefore('top', '3.50', '3.50'), false);
  assert.equal(cursorBefore('top', '0.5', '1.90'), false);
});

test('a cursor of another sort is a bad request naming the field', () => {
  const badRequest = (err: unknown) => AppError.is(err) && err.code === 'invalid_request';
  assert.throws(() => parseCursor('top', '12'), badRequest);
  assert.throws(() => cursorBefore('oldest', '1.12', '3'), badRequest);
});

test('a thread list’s cursor names its keyset and comes back to it', () => {
  const after = { createdAt: '2026-03-01T10:00:00.000Z', id: 'k3v9x0q1m2ab' };
  const cursor = threadCursorOf(after);
  assert.match(cursor, /^[A-Za-z0-9_-]+$/, 'safe in a URL as it is');
  assert.deepEqual(parseThreadCursor(cursor), after);
  assert.equal(parseThreadCursor(undefined), undefined);
});

test('a thread list’s cursor this server did not hand out is a bad request naming after', () => {
  const badAfter = (err: unknown) => AppError.is(err) && err.code === 'invalid_request' && err.fields?.after !== undefined;
  const encode = (text: string) => Buffer.from(text).toString('base64url');
  for (const cursor of [
    'x',
    encode('not a time k3v9x0q1m2ab'),
    encode('2026-03-01T10:00:00.000Z'),
    encode('2026-03-01T10:00:00.000Z NOT-AN-ID'),
    encode('2026-03-01T10:00:00.000Z abc extra'),
    // A time Date.parse reads, with a NUL after it: PostgreSQL cannot compare it (once a 500).
    encode('2026-03-01\u0000 k3v9x0q1m2ab'),
    // The same keyset spelled with base64 padding: not what this server hands out.
    `${threadCursorOf({ createdAt: '2026-03-01T10:00:00.000Z', id: 'a' })}==`,
  ]) {
    assert.throws(() => parseThreadCursor(cursor), badAfter, cursor);
  }
});

test('the answered-first cursor: answered before open, then oldest first; a cursor of another sort is refused', () => {
  assert.equal(cursorBefore('answered-first', '1.50', '0.10'), true);
  assert.equal(cursorBefore('answered-first', '0.10', '1.50'), false);
  assert.equal(cursorBefore('answered-first', '0.10', '0.50'), true);
  assert.deepEqual(parseCursor('answered-first', '1.7'), { answered: true, seq: 7 });
  assert.deepEqual(parseCursor('answered-first', '0.7'), { answered: false, seq: 7 });
  assert.throws(() => parseCursor('answered-first', '7'), (err) => AppError.is(err) && err.code === 'invalid_request');
  assert.throws(() => parseCursor('answered-first', '5.7'), (err) => AppError.is(err) && err.code === 'invalid_request');
  assert.throws(() => parseCursor('unanswered', '1.7'), (err) => AppError.is(err) && err.code === 'invalid_request');
  assert.deepEqual(parseCursor('unanswered', '7'), { seq: 7 });
});
