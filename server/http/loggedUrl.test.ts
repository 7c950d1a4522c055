import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loggedUrl } from './loggedUrl';

test('a sign-in token or code in the query is never logged; the rest of the URL is', () => {
  assert.equal(loggedUrl('/signin/link?token=abcDEF123_-'), '/signin/link?token=[redacted]');
  assert.equal(loggedUrl('/x?a=1&TOKEN=s3cret&b=2'), '/x?a=1&TOKEN=[redacted]&b=2');
  assert.equal(loggedUrl('/x?%74oken=s3cret'), '/x?%74oken=[redacted]');
  assert.equal(loggedUrl('/cb?code=c0de&state=1'), '/cb?code=[redacted]&state=1');
  assert.equal(loggedUrl('/api/unsubscribe?t=u1.reply.sig'), '/api/unsubscribe?t=[redacted]');
  assert.equal(loggedUrl('/articles/a?sort=new'), '/articles/a?sort=new');
  assert.equal(loggedUrl('/plain'), '/plain');
  assert.equal(loggedUrl(undefined), '/');
  assert.equal(loggedUrl('/x?%E0=1'), '/x?%E0=1');
});
