import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressWithPagesLoaded } from './pagesInUrl';

test('the address records how far the reader loaded, in its sort, keeping the rest of it', () => {
  assert.equal(addressWithPagesLoaded('https://x.test/articles/a', 'oldest', '120'), '/articles/a?sort=oldest&until=120');
  assert.equal(addressWithPagesLoaded('https://x.test/articles/a?sort=top&until=3.9#comments', 'top', '2.40'), '/articles/a?sort=top&until=2.40#comments');
  assert.equal(addressWithPagesLoaded('https://x.test/articles/a?after=50&sort=newest', 'newest', null), '/articles/a?after=50&sort=newest&until=end');
});
