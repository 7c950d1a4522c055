import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanTitle, MAX_TITLE } from '../../lib/domain/embed';
import { AppError } from '../../lib/domain/errors';
import { guestCookie } from '../http/guestSession';
import { frameAncestors, pageCsp, standardHeaders } from '../http/securityHeaders';
import { parseEmbedRequest, permalinkTarget } from './embedPolicy';

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
  test('slug, url (its fragment dropped), token and theme are read; theme is auto, url and token optional', () => {
    assert.deepEqual(parse('/embed/a-story', { url: `${ARTICLE}#top`, token: 'a.b.c', theme: 'dark' }), { slug: 'a-story', pageUrl: ARTICLE, token: 'a.b.c', theme: 'dark' });
    assert.deepEqual(parse('/embed/a-story/'), { slug: 'a-story', pageUrl: null, token: null, theme: 'auto' });
    assert.equal(parse('/embed/a-story', { token: '' }).token, null);
  });

  test('a title in the address is not read: the thread\'s title is its host\'s', () => {
    assert.deepEqual(parse('/embed/a-story', { title: 'Chosen by whoever asked' }), { slug: 'a-story', pageUrl: null, token: null, theme: 'auto' });
    assert.doesNotThrow(() => parse('/embed/ok', { title: 'x'.repeat(5000) }));
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
    assert.equal(cleanTitle(' \u0007 '), '', 'nothing left');
  });
});

describe('where permalinks lead', () => {
  const embedOrigins = [SITE, 'https://www.example.org'];
  const target = (articleUrl: string | null, pageUrl: string | null) => permalinkTarget({ articleUrl, pageUrl, embedOrigins });

  test("the thread's own article wins over any url", () => {
    assert.equal(target(`${SITE}/opened-for`, 'https://evil.example/a'), `${SITE}/opened-for`);
    assert.equal(target(`${SITE}/opened-for`, `${SITE}/another`), `${SITE}/opened-for`);
  });

  test('else a url on a site in EMBED_ORIGINS', () => {
    assert.equal(target(null, ARTICLE), ARTICLE);
    assert.equal(target(null, 'https://www.example.org/x'), 'https://www.example.org/x');
  });

  test('a url on any other site (a look-alike, another scheme, port or subdomain) leads nowhere, as does none', () => {
    for (const url of ['https://evil.example/a', 'http://blog.example.org/a', 'https://blog.example.org:8443/a', 'https://blog.example.org.evil.example/a', 'https://sub.blog.example.org/a']) {
      assert.equal(target(null, url), null, url);
    }
    assert.equal(target(null, null), null);
    assert.equal(permalinkTarget({ articleUrl: null, pageUrl: ARTICLE, embedOrigins: [] }), null);
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
