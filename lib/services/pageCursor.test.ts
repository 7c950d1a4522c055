import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../domain/errors';
import { cursorBefore, parseCursor } from './pageCursor';

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
