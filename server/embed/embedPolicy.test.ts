import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../lib/domain/errors';
import { guestCookie } from '../http/guestSession';
import { frameAncestors, pageCsp, standardHeaders } from '../http/securityHeaders';
import { cleanTitle, firstViewRefusal, MAX_TITLE, parseEmbedRequest } from './embedPolicy';

const SITE = 'https://blog.example.org';
const ARTICLE = `${SITE}/2026/11/a-story?ref=home`;

function parse(path: string, query: Record<string, string> = {}) {
  return parseEmbedRequest(path, new URLSearchParams(query));
}

function fieldsOf(fn: () => unknown): Record<string, string[]> {
  try {
    fn();
  } catch (err) {
    assert.ok(AppError.is(err) && err.code === 'invalid_request', String(err));
    return err.fields ?? {};
  }
  assert.fail('expected invalid_request');
}

describe('the embed address', () => {
  test('slug, url (its fragment dropped), title and theme are read; theme is auto and url optional by default', () => {
    assert.deepEqual(parse('/embed/a-story', { url: `${ARTICLE}#top`, title: 'A story', theme: 'dark' }), { slug: 'a-story', pageUrl: ARTICLE, title: 'A story', theme: 'dark' });
    assert.deepEqual(parse('/embed/a-story/'), { slug: 'a-story', pageUrl: null, title: null, theme: 'auto' });
  });

  test('a bad slug, url or theme is invalid_request naming each field', () => {
    assert.deepEqual(Object.keys(fieldsOf(() => parse('/embed/Not%20A%20Slug'))), ['slug']);
    assert.deepEqual(Object.keys(fieldsOf(() => parse('/embed/%E0%A4%A'))), ['slug']);
    assert.deepEqual(Object.keys(fieldsOf(() => parse('/embed/'))), ['slug']);
    assert.deepEqual(Object.keys(fieldsOf(() => parse(`/embed/${'a'.repeat(121)}`))), ['slug']);
    for (const url of ['javascript:alert(1)', '/relative/path', 'not a url', 'ftp://blog.example.org/x', `${SITE}/${'x'.repeat(2100)}`]) {
      assert.deepEqual(Object.keys(fieldsOf(() => parse('/embed/ok', { url }))), ['url'], url);
    }
    assert.deepEqual(Object.keys(fieldsOf(() => parse('/embed/ok', { theme: 'sepia' }))).sort(), ['theme']);
    assert.deepEqual(Object.keys(fieldsOf(() => parse('/embed/BAD', { url: 'x', theme: 'x' }))).sort(), ['slug', 'theme', 'url']);
  });

  test('a title is cleaned (controls and bidi overrides gone, spaces collapsed) and cut at MAX_TITLE characters', () => {
    assert.equal(cleanTitle('  Breaking:\u0000 the\n\tnews \u202Eevil\u202C  '), 'Breaking: the news evil');
    assert.equal([...cleanTitle('ü'.repeat(MAX_TITLE + 50))].length, MAX_TITLE);
    assert.equal(parse('/embed/ok', { title: ' \u0007 ' }).title, null, 'nothing left is no title');
    assert.deepEqual(Object.keys(fieldsOf(() => parse('/embed/ok', { title: 'x'.repeat(MAX_TITLE * 8 + 1) }))), ['title']);
  });
});

describe('opening a thread on its first view', () => {
  const embedOrigins = [SITE, 'https://www.example.org'];
  const refusal = (pageUrl: string | null, headers: Record<string, string> = {}) => firstViewRefusal({ pageUrl, headers, embedOrigins });

  test('an article on an allowed site, framed there (or headers a browser may leave out missing), opens it', () => {
    assert.equal(refusal(ARTICLE, { 'sec-fetch-dest': 'iframe', referer: `${SITE}/2026/11/a-story` }), null);
    assert.equal(refusal(ARTICLE, { 'sec-fetch-dest': 'iframe', referer: 'https://www.example.org/' }), null, 'another allowed site of the same newsroom');
    assert.equal(refusal(ARTICLE), null, 'no Sec-Fetch-Dest, no Referer (no-referrer)');
  });

  test('no url, or one on a site not in EMBED_ORIGINS, opens nothing', () => {
    assert.match(refusal(null) ?? '', /no url/);
    for (const url of ['https://evil.example/a', 'http://blog.example.org/a', 'https://blog.example.org.evil.example/a', 'https://sub.blog.example.org/a']) {
      assert.match(refusal(url) ?? '', /not in EMBED_ORIGINS/, url);
    }
    assert.match(firstViewRefusal({ pageUrl: ARTICLE, headers: {}, embedOrigins: [] }) ?? '', /not in EMBED_ORIGINS/);
  });

  test('a page opened outside a frame, or framed by another site, opens nothing', () => {
    assert.match(refusal(ARTICLE, { 'sec-fetch-dest': 'document' }) ?? '', /not a frame/);
    assert.match(refusal(ARTICLE, { 'sec-fetch-dest': 'iframe', referer: 'https://evil.example/page' }) ?? '', /framed by https:\/\/evil.example/);
    assert.match(refusal(ARTICLE, { referer: 'garbage' }) ?? '', /unknown page/);
  });
});

describe('the framing policy', () => {
  test('pages are framed by nobody, the embed by EMBED_ORIGINS only (and nobody when it is empty)', () => {
    assert.equal(frameAncestors(undefined), "'none'");
    assert.equal(frameAncestors([]), "'none'");
    assert.equal(frameAncestors([SITE, 'http://127.0.0.1:8080']), `${SITE} http://127.0.0.1:8080`);
    const page = pageCsp({ nonce: 'n', dev: false, ownOrigin: null });
    assert.match(page, /frame-ancestors 'none'/);
    const embed = pageCsp({ nonce: 'n', dev: false, ownOrigin: null, frameAncestors: [SITE] });
    assert.match(embed, new RegExp(`frame-ancestors ${SITE}$`));
    assert.match(embed, /script-src 'self' 'nonce-n' 'strict-dynamic'/, 'the nonce rules stay');
  });

  test('X-Frame-Options DENY everywhere but the embed, where it would override frame-ancestors', () => {
    assert.equal(standardHeaders({ https: false })['x-frame-options'], 'DENY');
    assert.equal(standardHeaders({ https: false, framable: true })['x-frame-options'], undefined);
  });

  test('the guest cookie of a framed page: SameSite=None, Secure and Partitioned over HTTPS; Lax over plain HTTP', () => {
    const attrs = (cookie: string) => cookie.split('; ').slice(1);
    assert.deepEqual(attrs(guestCookie('g1', 'secret', { secure: true, framed: true })).slice(1), ['Max-Age=34560000', 'HttpOnly', 'SameSite=None', 'Secure', 'Partitioned']);
    assert.deepEqual(attrs(guestCookie('g1', 'secret', { secure: false, framed: true })).slice(1), ['Max-Age=34560000', 'HttpOnly', 'SameSite=Lax']);
    assert.deepEqual(attrs(guestCookie('g1', 'secret', { secure: true })).slice(1), ['Max-Age=34560000', 'HttpOnly', 'SameSite=Lax', 'Secure']);
  });
});
