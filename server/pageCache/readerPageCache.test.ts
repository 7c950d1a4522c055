import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RenderedResponse } from './detachedRender';
import { PERSONAL_PAGE_CACHE_CONTROL, WORDS_HOLD_UNTIL_HEADER } from '../../app/readerPages/serveReaderPage';
import { createReaderPageCache } from './readerPageCache';
import { createRenderedPages } from './renderedPages';

const html = (text: string): RenderedResponse => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(`<p>${text}</p>`.repeat(50)) });

/** A cache over a store whose seqs the test moves, counting the renders and the seq reads. */
function setup(options: { maxBytes?: number } = {}) {
  const seqs = new Map<string, number | null>([['a', 1], ['b', 1]]);
  let clock = 0;
  let reads = 0;
  const cache = createReaderPageCache({
    maxBytes: options.maxBytes ?? 1_000_000,
    freshMs: 1000,
    now: () => clock,
    threadSeq: async (slug) => {
      reads++;
      return seqs.get(slug) ?? null;
    },
  });
  let renders = 0;
  const render = (text: string) => async () => {
    renders++;
    return html(text);
  };
  return { cache, seqs, render, tick: (ms: number) => (clock += ms), counts: () => ({ renders, reads }) };
}

test('a page is rendered once per version: fresh hits read nothing, a stale one reads the seq and is kept while it has not moved', async () => {
  const { cache, seqs, render, tick, counts } = setup();
  const first = await cache.lookup('k', 'a', render('one'));
  assert.equal(first.page && first.page.seq, 1);
  assert.equal((await cache.lookup('k', 'a', render('two'))).page?.body.toString().slice(0, 10), '<p>one</p>');
  assert.deepEqual(counts(), { renders: 1, reads: 1 });

  tick(1500);
  const revalidated = await cache.lookup('k', 'a', render('two'));
  assert.equal(revalidated.page && 'source' in revalidated && revalidated.source, 'revalidated');
  assert.deepEqual(counts(), { renders: 1, reads: 2 });

  // Another node posted: this node heard nothing, and finds out once the page is no longer fresh.
  seqs.set('a', 2);
  assert.equal((await cache.lookup('k', 'a', render('two'))).page?.seq, 1, 'still fresh');
  tick(1500);
  const moved = await cache.lookup('k', 'a', render('two'));
  assert.equal(moved.page?.seq, 2);
  assert.match(moved.page!.body.toString(), /two/);
  assert.notEqual(moved.page!.etag, first.page!.etag);
});

test('a page whose words go out of date (a closing countdown) is not served from then on, fresh or not, though its thread has not moved', async () => {
  const { cache, tick, counts } = setup();
  let renders = 0;
  const countdown = async (): Promise<RenderedResponse> => {
    renders++;
    return { ...html(`close in ${3 - renders} hours`), headers: { 'content-type': 'text/html', [WORDS_HOLD_UNTIL_HEADER]: '500' } };
  };
  const first = await cache.lookup('k', 'a', countdown);
  assert.equal(first.page?.holdsUntil, 500);
  tick(499);
  assert.ok(cache.fresh('k'), 'fresh, and its words still hold');
  tick(1);
  assert.equal(cache.fresh('k'), undefined);
  const again = await cache.lookup('k', 'a', countdown);
  assert.equal(again.page && 'source' in again && again.source, 'rendered', 'rendered anew, not revalidated by its seq');
  assert.match(again.page!.body.toString(), /close in 1 hours/);
  assert.deepEqual(counts(), { renders: 0, reads: 2 });
  assert.equal(renders, 2);
  assert.equal(again.page!.headers[WORDS_HOLD_UNTIL_HEADER], undefined, 'the cache keeps the header to itself');
});

test('readers who miss at once wait for one render; a change heard meanwhile makes it served, not kept', async () => {
  const { cache, render, counts } = setup();
  const all = await Promise.all(Array.from({ length: 20 }, () => cache.lookup('k', 'a', render('one'))));
  assert.equal(counts().renders, 1);
  assert.ok(all.every((found) => found.page === all[0]!.page));

  let release!: () => void;
  const slow = cache.lookup('k2', 'a', async () => {
    await new Promise<void>((resolve) => (release = resolve));
    return html('before the change');
  });
  await new Promise((resolve) => setImmediate(resolve));
  cache.threadChanged('a');
  release();
  assert.ok((await slow).page, 'served to whoever asked');
  assert.equal(cache.fresh('k2'), undefined, 'not kept');
  assert.equal(cache.fresh('k'), undefined, "the thread's other pages went too");
});

test('only a 200 of a thread readers may see is kept: a 404, a hidden thread, a Set-Cookie are sent once', async () => {
  const { cache, seqs } = setup();
  const notFound = await cache.lookup('k', 'a', async () => ({ ...html('gone'), status: 404 }));
  assert.equal(notFound.page, null);
  seqs.set('b', null);
  assert.equal((await cache.lookup('h', 'b', async () => html('hidden'))).page, null);
  assert.equal((await cache.lookup('c', 'a', async () => ({ ...html('cookie'), headers: { 'set-cookie': 'x=1' } }))).page, null);
  assert.equal(cache.size, 0);
});

test('the pages kept stay within their budget in bytes, least recently used out', () => {
  const pages = createRenderedPages({ maxBytes: 5000 });
  const page = (slug: string) => ({ slug, seq: 1, headers: {}, body: Buffer.alloc(1000), gzip: null, etag: 'W/"1"', checkedAt: 0, holdsUntil: null });
  for (const key of ['k1', 'k2', 'k3']) pages.set(key, page('a'));
  pages.get('k1');
  pages.set('k4', page('b'));
  assert.ok(pages.usedBytes <= 5000);
  assert.ok(pages.get('k1') && !pages.get('k2'), 'the least recently used went first');
  pages.dropThread('a');
  assert.deepEqual([pages.get('k1'), pages.get('k3')], [undefined, undefined]);
  assert.ok(pages.get('k4'));
  pages.set('huge', { ...page('c'), body: Buffer.alloc(10_000) });
  assert.equal(pages.get('huge'), undefined, 'bigger than the budget: served, not kept');
});

test("a render that says it is one reader's page (private, or setting a cookie) is passed on and never kept; Next.js's default header is not such a word", async () => {
  const { cache } = setup();
  const personal = [{ 'cache-control': PERSONAL_PAGE_CACHE_CONTROL }, { 'set-cookie': ['tl_guest=x'] }];
  for (const headers of personal) {
    const found = await cache.lookup('p', 'a', async () => ({ ...html('mine'), headers: { ...html('mine').headers, ...headers } }));
    assert.equal(found.page, null, JSON.stringify(headers));
    assert.equal(cache.fresh('p'), undefined, JSON.stringify(headers));
  }
  const nextDefault = { 'cache-control': 'private, no-cache, no-store, max-age=0, must-revalidate' };
  const kept = await cache.lookup('n', 'a', async () => ({ ...html('everyone'), headers: { ...html('everyone').headers, ...nextDefault } }));
  assert.ok(kept.page && cache.fresh('n'));
});

test('a change every page may show (a badge) drops every kept page though no thread moved', async () => {
  const { cache, render, counts } = setup();
  await cache.lookup('ka', 'a', render('a'));
  await cache.lookup('kb', 'b', render('b'));
  assert.equal(cache.size, 2);
  cache.everythingChanged();
  assert.equal(cache.size, 0);
  const again = await cache.lookup('ka', 'a', render('a with a badge'));
  assert.equal(again.page && again.source, 'rendered');
  assert.equal(counts().renders, 3);
});
