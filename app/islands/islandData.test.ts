import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comment } from '../../lib/client/commentFixture';
import { renderThreadIsland } from '../readerPages/renderIsland';
import { bodiesInMarkup, islandJson, readIslandData, type ThreadIslandData } from './islandData';

const data = (...comments: ThreadIslandData['thread']['comments']): ThreadIslandData => ({
  kind: 'article',
  locale: 'en',
  thread: {
    slug: 's',
    sort: 'oldest',
    seq: 2,
    locked: false,
    comments,
    nextCursor: null,
    total: comments.length,
    rootId: null,
    replyTo: null,
    formError: null,
    clientIdSeed: 'seed',
  },
});
const saying = (id: string, body: string, html = `<p>${body}</p>`) => ({ ...comment(id, 2, null, { body, html }), mine: false });
const nothingShown = { has: () => false };

test('the island\'s data cannot close its <script> element, whatever a comment says, and reads back the same', () => {
  for (const body of ['</script><script>alert(1)</script>', '<!-- <script>', '</SCRIPT >', 'a < b', '\u2028\u2029 line separators']) {
    const json = islandJson(data(saying('a', body)), nothingShown);
    assert.doesNotMatch(json, /</, body);
    assert.deepEqual(readIslandData(json, () => undefined), data(saying('a', body)));
  }
});

test('a comment\'s HTML travels once: the JSON leaves out what the rendered HTML shows, and reads it back from there', () => {
  // markdown-it's output for text with markup typed as text, an entity, a link, code and a quote.
  const html = '<blockquote>\n<p>&lt;b&gt;not bold&lt;/b&gt; &amp;amp; <a href="https://example.com/?a=1&amp;b=2">a link</a> <code>x &lt; y</code></p>\n</blockquote>\n';
  const island = data(saying('a', 'quoted', html), saying('b', 'plain'));
  const { html: rendered, json } = renderThreadIsland(island);
  assert.deepEqual([...bodiesInMarkup(rendered)], [['a', html], ['b', '<p>plain</p>']]);
  assert.doesNotMatch(json, /not bold|p>plain/, 'no comment HTML in the JSON');
  const bodies = bodiesInMarkup(rendered);
  assert.deepEqual(readIslandData(json, (id) => bodies.get(id)), island);
});

test('a comment the HTML does not show keeps its HTML in the JSON', () => {
  const island = data(saying('a', 'shown'), saying('b', 'not shown'));
  const json = islandJson(island, new Set(['a']));
  assert.doesNotMatch(json, /<p>shown/);
  assert.match(json, /\\u003cp>not shown/);
  assert.deepEqual(readIslandData(json, (id) => (id === 'a' ? '<p>shown</p>' : undefined)), island);
});
