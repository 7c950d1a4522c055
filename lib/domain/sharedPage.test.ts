import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSharedReaderRequest } from './sharedPage';

test("a reader page is shared unless a no-JavaScript flow sent one reader back to it", () => {
  for (const search of ['', 'sort=top', 'after=3&sort=newest', 'until=end', 'theme=dark&url=https%3A%2F%2Fnews.example%2Fa']) {
    assert.equal(isSharedReaderRequest(new URLSearchParams(search)), true, search);
  }
  for (const search of ['error=slow_mode', 'error=invalid_request&field=body', 'replyTo=abc', 'held=1', 'sort=top&liked=abc', 'sort=top&likeError=banned', 'field=']) {
    assert.equal(isSharedReaderRequest(new URLSearchParams(search)), false, search);
  }
  // Next.js's parsed query says the same.
  assert.equal(isSharedReaderRequest({ sort: 'top' }), true);
  assert.equal(isSharedReaderRequest({ replyTo: ['a', 'b'] }), false);
});
