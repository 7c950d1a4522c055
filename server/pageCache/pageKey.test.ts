import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { pageKeyOf } from './pageKey';
import { isShareableReaderRequest } from './shareableRequest';

const key = (path: string, language?: string) => pageKeyOf(new URL(path, 'http://x.invalid'), language)?.key;

test('one key per page everyone gets: what the render reads, normalized', () => {
  assert.equal(key('/articles/a?utm_source=x'), key('/articles/a'));
  assert.equal(key('/articles/a?sort=bogus'), key('/articles/a?sort=oldest'));
  assert.notEqual(key('/articles/a?sort=newest'), key('/articles/a'));
  assert.notEqual(key('/articles/a?after=12'), key('/articles/a'));
  assert.notEqual(key('/articles/a?until=end'), key('/articles/a'));
  // A cursor the page ignores (made up, or of another sort) is the first page's key.
  assert.equal(key('/articles/a?after=c1'), key('/articles/a'));
  assert.equal(key('/articles/a?until=nonsense'), key('/articles/a'));
  assert.equal(key('/articles/a', 'de-AT,de;q=0.9'), key('/articles/a', 'de'));
  assert.notEqual(key('/articles/a', 'de'), key('/articles/a', 'en'));
  assert.notEqual(key('/articles/a/comments/c1'), key('/articles/a/comments/c2'));
  // The embed speaks English whatever the reader's language, and varies with its theme and host page.
  assert.equal(key('/embed/a', 'de'), key('/embed/a', 'en'));
  assert.notEqual(key('/embed/a?theme=dark'), key('/embed/a'));
  assert.notEqual(key('/embed/a?url=https://blog.example.org/1'), key('/embed/a?url=https://blog.example.org/2'));
  assert.equal(key('/embed/a?theme=purple'), undefined, 'a bad embed address has no key: the page reports it');
  assert.equal(pageKeyOf(new URL('http://x.invalid/articles/a/comments/c1'), undefined)?.slug, 'a');
});

test('a reader request is shareable when nothing in it is one reader’s', () => {
  const shareable = (path: string, options: { method?: string; cookie?: string } = {}) =>
    isShareableReaderRequest({ method: options.method ?? 'GET', headers: { cookie: options.cookie } } as unknown as IncomingMessage, new URL(path, 'http://x.invalid'));
  assert.ok(shareable('/articles/a'));
  assert.ok(shareable('/articles/a', { method: 'HEAD' }));
  assert.ok(shareable('/articles/a/comments/c1?sort=top'));
  assert.ok(shareable('/embed/a?theme=dark'));
  assert.ok(shareable('/articles/a', { cookie: 'tl_guest=g.sig' }), 'a guest gets the page everyone gets');
  assert.ok(!shareable('/articles/a', { method: 'POST' }));
  for (const param of ['error=too_long', 'field=body', 'likeError=x', 'replyTo=c1', 'posted=c1', 'liked=c1', 'held=c1']) assert.ok(!shareable(`/articles/a?${param}`), param);
  assert.ok(!shareable('/articles/a', { cookie: '__Host-tl_session=s' }), "a moderator's view is theirs");
  assert.ok(!shareable('/moderation'));
  assert.ok(!shareable('/articles/a/feed.xml'));
});
