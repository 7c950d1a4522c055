import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comment } from '../../lib/client/commentFixture';
import { islandJson, readIslandData, type ThreadIslandData } from './islandData';

const data = (body: string): ThreadIslandData => ({
  kind: 'article',
  locale: 'en',
  thread: {
    slug: 's',
    sort: 'oldest',
    seq: 2,
    locked: false,
    comments: [{ ...comment('a', 2, null, { body, html: `<p>${body}</p>` }), mine: true }],
    nextCursor: null,
    total: 1,
    rootId: null,
    replyTo: null,
    formError: null,
    clientIdSeed: 'seed',
  },
});

test('the island\'s data cannot close its <script> element, whatever a comment says, and reads back the same', () => {
  for (const body of ['</script><script>alert(1)</script>', '<!-- <script>', '</SCRIPT >', 'a < b', '\u2028\u2029 line separators']) {
    const json = islandJson(data(body));
    assert.doesNotMatch(json, /</, body);
    assert.deepEqual(readIslandData(json), data(body));
  }
});
