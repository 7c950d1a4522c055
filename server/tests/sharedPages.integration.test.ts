import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { CommentResponseSchema, ThreadResponseSchema, ViewerResponseSchema } from '../../lib/contract/api';
import { registerServices } from '../../lib/services/registry';
import { registerIslandScripts } from '../../app/islands/islandScripts';
import { ReaderPage } from '../../app/readerPages/ReaderPage';
import { articlePage, branchPage, embedPage, type ReaderPageResult } from '../../app/readerPages/readerPageProps';
import type { Query, ReaderRequest } from '../../app/readerPages/readerRequest';
import { HttpGuest } from '../testing/http';
import { createOpenThread } from '../testing/nodes';
import { expectStatus, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useStaffNode } from '../testing/suites';

/** Words only their writer (or the moderator) may ever see: none may be in a page everyone gets. */
const HELD_TEXT = 'held words nobody else may read';
const HELD_REPLY = 'a held reply, as private';
const HELD_NAME = 'Private Pat';

/** One reader's request for a page: their cookies, their language, and the per-response nonce the server put on it. */
function requestOf(reader: { cookie: string | undefined; nonce: string }, query: Query, language = 'de-DE,de;q=0.9'): ReaderRequest {
  const headers = new Headers({ 'accept-language': language, 'content-security-policy': `script-src 'self' 'nonce-${reader.nonce}' 'strict-dynamic'` });
  if (reader.cookie) headers.set('cookie', reader.cookie);
  return { headers, query };
}

/**
 * The page's HTML as the reader gets it (what Next.js wraps in its document is these props too), with
 * the one value that may differ per response blanked: a nonce attribute's (the page cache replaces the
 * per-request nonce for reader pages; until it does, that value is the only per-response byte).
 */
function html(result: ReaderPageResult): string {
  const { document } = result.props;
  return `<html lang="${document.lang}" class="${document.className ?? ''}">${renderToStaticMarkup(createElement(ReaderPage, result.props))}</html>`.replace(/ nonce="[^"]*"/g, ' nonce=""');
}

for (const kind of DATABASE_KINDS) {
  describe(`a reader page is the same bytes for everyone (${kind})`, () => {
    const suite = useStaffNode(kind);
    let slug: string;
    let branchRoot: string;
    let after: string;
    let guest: WebClient;
    let guestId: string;
    const readers: { name: string; cookie: string | undefined; nonce: string }[] = [];

    before(async () => {
      const { node, mod } = suite;
      registerServices(node.services);
      registerIslandScripts({ script: () => ({ src: '/_islands/thread-test.js', preload: ['/_islands/chunk-test.js'], later: ['/_islands/chunk-later.js'] }) });
      slug = (await createOpenThread(node.services, 'shared')).slug;
      const thread = (await node.store.findThreadRowBySlug(slug))!;
      // More branches than a page shows, so `?after=` has a second page.
      for (let i = 0; i < 52; i++) await node.store.createComment({ threadId: thread.id, parentId: null, authorName: `Writer ${i}`, authorGuestId: 'writer', body: `comment ${i}`, clientId: null });
      const first = ThreadResponseSchema.parse(expectStatus(await new HttpGuest(node.baseUrl).get(`/api/threads/${slug}`), 200));
      after = first.nextCursor!;
      assert.ok(after, 'a second page');
      branchRoot = first.comments[0]!.id;

      // A guest who likes a comment and posts on the thread once it is pre-moderated: their comments are held.
      guest = new WebClient(node.baseUrl);
      expectStatus(await guest.request('PUT', `/api/comments/${branchRoot}/like`), 200);
      expectStatus(await mod.client.request('PATCH', `/api/threads/${slug}`, { json: { preModeration: true } }), 200);
      const held = CommentResponseSchema.parse(expectStatus(await guest.comment(slug, { body: HELD_TEXT, authorName: HELD_NAME }), 201)).comment;
      assert.equal(held.status, 'pending');
      expectStatus(await guest.comment(slug, { body: HELD_REPLY, authorName: HELD_NAME, parentId: branchRoot }), 201);
      guestId = guest.guestId!;

      readers.push({ name: 'an anonymous reader', cookie: undefined, nonce: 'AAAAAAAAAAAAAAAAAAAAAA==' });
      readers.push({ name: 'the guest with held comments and a like', cookie: guest.cookie, nonce: 'BBBBBBBBBBBBBBBBBBBBBB==' });
      readers.push({ name: 'a signed-in moderator', cookie: mod.client.cookie, nonce: 'CCCCCCCCCCCCCCCCCCCCCC==' });
    });

    const pages: { name: string; render: (request: ReaderRequest) => Promise<ReaderPageResult>; query: Query }[] = [
      { name: 'the article', render: (r) => articlePage(r, slug), query: {} },
      { name: 'the article, top first', render: (r) => articlePage(r, slug), query: { sort: 'top' } },
      { name: 'the article, newest first', render: (r) => articlePage(r, slug), query: { sort: 'newest' } },
      { name: 'the article’s second page', render: (r) => articlePage(r, slug), query: { after: '' } },
      { name: 'a branch', render: (r) => branchPage(r, slug, branchRoot), query: {} },
      { name: 'the embed', render: (r) => embedPage(r, slug), query: {} },
    ];

    for (const page of pages) {
      test(`${page.name}: byte-identical for an anonymous reader, the guest and a moderator, and nothing of theirs in it`, async () => {
        const query = page.query.after === undefined ? page.query : { after };
        const seen = new Map<string, string>();
        for (const reader of readers) {
          const result = await page.render(requestOf(reader, query));
          assert.equal(result.status, 200, `${reader.name}: ${result.status}`);
          assert.equal(result.shareable, true, reader.name);
          seen.set(reader.name, html(result));
        }
        const [anonymous, ...others] = [...seen.values()];
        for (const [name, bytes] of [...seen].slice(1)) assert.equal(bytes, anonymous, `${name}'s page differs from the anonymous one`);
        assert.equal(others.length, 2);
        for (const secret of [HELD_TEXT, HELD_REPLY, HELD_NAME, suite.mod.account.username, guestId, 'formToken', 'likedByMe', '"mine":true', 'badge-mine']) {
          assert.ok(!anonymous!.includes(secret), `${JSON.stringify(secret)} is in ${page.name}`);
        }
        // The language still tells pages apart: it is part of what a cache keys them by.
        if (page.name !== 'the embed') assert.match(anonymous!, /<html lang="de"/);
      });
    }

    test("what is theirs arrives from the reader's own read instead (private, never stored by a cache)", async () => {
      const mine = await guest.request('GET', `/api/threads/${slug}/viewer`);
      assert.equal(mine.headers.get('cache-control'), 'private, no-store');
      const state = ViewerResponseSchema.parse(mine.body);
      assert.deepEqual(state.own.map((c) => [c.body, c.status]).sort(), [
        [HELD_REPLY, 'pending'],
        [HELD_TEXT, 'pending'],
      ]);
      assert.deepEqual(state.liked, [branchRoot]);
      assert.equal(state.staff, null);
      const staff = ViewerResponseSchema.parse(expectStatus(await suite.mod.client.request('GET', `/api/threads/${slug}/viewer`), 200));
      assert.deepEqual(staff.staff, { username: suite.mod.account.username, role: 'moderator' });
      const nobody = ViewerResponseSchema.parse(expectStatus(await new HttpGuest(suite.node.baseUrl).get(`/api/threads/${slug}/viewer`), 200));
      assert.deepEqual(nobody, { staff: null, account: null, own: [], liked: [] });
    });

    test('the no-JavaScript flows’ pages are one reader’s: not shared', async () => {
      for (const query of [{ replyTo: branchRoot }, { error: 'slow_mode' }, { error: 'invalid_request', field: 'body' }, { likeError: 'banned' }]) {
        const result = await articlePage(requestOf(readers[0]!, query), slug);
        assert.equal(result.shareable, false, JSON.stringify(query));
      }
    });

    test('a hidden thread depends on who asks (staff see it, others find nothing): never shared', async () => {
      expectStatus(await suite.admin.client.request('POST', `/api/threads/${slug}/hide`), 200);
      try {
        const anonymous = await articlePage(requestOf(readers[0]!, {}), slug);
        assert.deepEqual([anonymous.status, anonymous.shareable], [404, false]);
        const moderator = await articlePage(requestOf(readers[2]!, {}), slug);
        assert.deepEqual([moderator.status, moderator.shareable], [200, false]);
        assert.ok(!html(moderator).includes(suite.mod.account.username), 'even so, nothing of the moderator in it');
      } finally {
        expectStatus(await suite.admin.client.request('POST', `/api/threads/${slug}/unhide`), 200);
      }
    });
  });
}
