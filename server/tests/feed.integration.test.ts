import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NON_PAGE_CSP } from '../http/securityHeaders';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { CommentResponseSchema } from '../../lib/contract/api';
import { HttpGuest } from '../testing/http';
import { NAUGHTY, refusedAsBody, refusedAsName } from '../testing/naughtyStrings';
import { createOpenThread, startNode, type TestNode } from '../testing/nodes';

interface Entry {
  id: string;
  title: string;
  link: { '@_href': string; '@_rel': string }[];
  author: { name: string };
  published: string;
  updated: string;
  content: { '#text'?: string; '@_type': string };
}
interface Feed {
  feed: {
    '@_xmlns': string;
    id: string;
    title: { '#text': string; '@_type': string };
    updated: string;
    link: { '@_rel': string; '@_href': string; '@_type': string }[];
    entry?: Entry[];
  };
}

/** A real XML parser: entities decoded once, nothing coerced to numbers, white space kept. */
async function post(guest: HttpGuest, slug: string, json: { body: string; authorName: string }) {
  const res = await guest.post(slug, json);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return CommentResponseSchema.parse(res.body).comment;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, trimValues: false, isArray: (name) => name === 'entry' || name === 'link', processEntities: true, htmlEntities: false });

function parseFeed(xml: string): Feed {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, `not well-formed XML: ${JSON.stringify(valid)}`);
  return parser.parse(xml) as Feed;
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`Atom feed on ${kind}`, () => {
    let db: TestDatabase;
    let node: TestNode;
    before(async () => {
      db = await createTestDatabase(kind);
      node = await startNode({ db, seed: true, rateLimits: false, pageHandler: (_req, res) => void res.writeHead(418).end() });
    });
    after(async () => {
      await node?.close();
      await db?.cleanup();
    });

    const feedOf = (slug: string, headers: Record<string, string> = {}) => fetch(`${node.baseUrl}/articles/${slug}/feed.xml`, { headers });

    test('a thread’s newest visible comments as Atom, with ids, links, authors and the rendered HTML', async () => {
      const { slug } = await createOpenThread(node.services, 'feed');
      const guest = new HttpGuest(node.baseUrl);
      const first = await post(guest, slug, { body: 'First *one*', authorName: 'Ann' });
      const second = await post(guest, slug, { body: 'Second, a [link](https://example.com/)', authorName: 'Bob' });
      const removed = await post(guest, slug, { body: 'going away', authorName: 'Cy' });
      await node.store.updateComment({ threadId: (await node.store.findThreadRowBySlug(slug))!.id, commentId: removed.id, changes: { status: 'removed' } });

      const res = await feedOf(slug);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
      assert.equal(res.headers.get('content-security-policy'), NON_PAGE_CSP);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('set-cookie'), null, 'a feed sets no guest cookie');
      const { feed } = parseFeed(await res.text());
      const origin = node.baseUrl;
      assert.equal(feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
      assert.equal(feed.id, `${origin}/articles/${slug}`);
      assert.match(feed.title['#text'], /^Comments on feed /);
      assert.ok(!Number.isNaN(Date.parse(feed.updated)));
      assert.deepEqual(
        feed.link.map((l) => [l['@_rel'], l['@_type'], l['@_href']]),
        [
          ['self', 'application/atom+xml', `${origin}/articles/${slug}/feed.xml`],
          ['alternate', 'text/html', `${origin}/articles/${slug}`],
        ],
      );
      const entries = feed.entry ?? [];
      // Newest first; the removed comment is not in it.
      assert.deepEqual(entries.map((e) => e.author.name), ['Bob', 'Ann']);
      const [bob, ann] = entries as [Entry, Entry];
      assert.equal(ann.id, `${origin}/articles/${slug}/comments/${first.id}`);
      assert.equal(ann.link[0]?.['@_href'], ann.id);
      assert.equal(ann.content['@_type'], 'html');
      assert.equal(ann.content['#text'], first.html);
      assert.equal(bob.content['#text'], second.html);
      assert.equal(ann.published, first.createdAt);
    });

    test('hostile names and bodies come out as well-formed XML that decodes to exactly the comment', async () => {
      const { slug } = await createOpenThread(node.services, 'naughty');
      const threadId = (await node.store.findThreadRowBySlug(slug))!.id;
      // Stored directly, so even what the API refuses (NUL, lone surrogates, U+FFFE) reaches the feed.
      // The specials last, so they are among the newest 50.
      const hostile = [...NAUGHTY.filter((s) => !refusedAsBody(s) && !refusedAsName(s)).slice(0, 200), '<script>alert(1)</script>', ']]> & &amp; "\' <![CDATA[x]]>', '\u202Egnp.exe\u202C',
        // PostgreSQL text cannot hold NUL at all.
        kind === 'sqlite' ? 'a\u0000b\u0001c\u001Fd' : 'a\u0001b\u001Fc', 'lone \uD800 surrogate \uFFFE', '😀 𝕏 e\u0301'];
      for (const [i, s] of hostile.entries()) {
        await node.store.createComment({ threadId, parentId: null, authorName: s.trim() === '' ? 'blank' : s, authorGuestId: `g${i}`, body: s.trim() === '' ? 'blank' : s, clientId: null });
      }
      const res = await feedOf(slug);
      const xml = await res.text();
      // eslint-disable-next-line no-control-regex -- the point: none of these may be in the XML.
      assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
      assert.doesNotMatch(xml, /<script/i);
      assert.match(xml, /&lt;script&gt;|&amp;lt;script&amp;gt;/, 'the script tag is there, as text');
      assert.match(xml, /\u202Egnp\.exe\u202C/, 'bidi controls are kept: XML allows them and the HTML isolates each body');
      const entries = parseFeed(xml).feed.entry ?? [];
      assert.equal(entries.length, 50, 'the newest 50');
      const recent = await node.services.threads.getFeed({ slug });
      // What an Atom reader decodes is the comment's own HTML and name, less only what XML cannot carry.
      const notXml = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
      for (const [i, entry] of entries.entries()) {
        const c = recent.comments[i]!;
        assert.equal(entry.content['#text'] ?? '', c.html.replace(notXml, ''), `entry ${i}`);
        assert.equal(entry.author.name, (c.author.name ?? '').replace(notXml, '') || 'Anonymous');
      }
    });

    test('ETag and Last-Modified follow the thread: 304 while unchanged, 200 after a change', async () => {
      const { slug } = await createOpenThread(node.services, 'etag');
      const guest = new HttpGuest(node.baseUrl);
      await post(guest, slug, { body: 'one', authorName: 'A' });
      const first = await feedOf(slug);
      const etag = first.headers.get('etag')!;
      const lastModified = first.headers.get('last-modified')!;
      assert.match(etag, /^"seq-\d+"$/);
      assert.ok(!Number.isNaN(Date.parse(lastModified)));

      const same = await feedOf(slug, { 'if-none-match': etag });
      assert.equal(same.status, 304);
      assert.equal(await same.text(), '');
      assert.equal(same.headers.get('etag'), etag);
      assert.equal((await feedOf(slug, { 'if-none-match': `W/${etag}, "other"` })).status, 304);
      assert.equal((await feedOf(slug, { 'if-modified-since': lastModified })).status, 304);
      assert.equal((await feedOf(slug, { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status, 200);
      // If-None-Match wins over a date that would match.
      assert.equal((await feedOf(slug, { 'if-none-match': '"seq-0"', 'if-modified-since': lastModified })).status, 200);

      await post(guest, slug, { body: 'two', authorName: 'B' });
      const changed = await feedOf(slug, { 'if-none-match': etag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      assert.equal(parseFeed(await changed.text()).feed.entry?.length, 2);
    });

    test('an unknown thread is a JSON 404 with a stable code; HEAD and other methods behave', async () => {
      for (const slug of ['no-such-thread', 'NOT%20A%20SLUG']) {
        const res = await feedOf(slug);
        assert.equal(res.status, 404);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'thread_not_found');
      }
      const { slug } = await createOpenThread(node.services, 'head');
      const head = await fetch(`${node.baseUrl}/articles/${slug}/feed.xml`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
      const post = await fetch(`${node.baseUrl}/articles/${slug}/feed.xml`, { method: 'POST', headers: { origin: node.baseUrl } });
      assert.equal(post.status, 405);
    });
  });
}
