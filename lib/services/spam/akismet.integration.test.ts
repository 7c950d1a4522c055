import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SpamFacts } from '../../store/spamStore';
import { createAkismetClient, SpamServiceError, type CheckedComment } from './akismet';
import { GUARANTEED_SPAM_AUTHOR, startAkismetTestServer } from './akismetTestServer';
import { createCircuitBreaker } from './circuitBreaker';
import { DEFAULT_SPAM_RULES } from '.';
import { outsideService } from './phases';
import type { SpamInput } from './types';

const KEY = 'test-key-123';

const COMMENT: CheckedComment = {
  client: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0', referrer: 'https://news.example/articles/vote', site: 'https://news.example' },
  permalink: 'https://news.example/articles/vote',
  authorName: 'Ann',
  body: 'A comment with ümlauts & symbols = fine?',
  at: '2025-01-01T12:00:00.000Z',
  recheck: null,
};

describe('the Akismet comment-check client, against a service of the test’s own', () => {
  let service: Awaited<ReturnType<typeof startAkismetTestServer>>;
  before(async () => {
    service = await startAkismetTestServer({ key: KEY });
  });
  after(() => service.close());

  const client = (options: { key?: string; timeoutMs?: number } = {}) =>
    createAkismetClient({ url: service.url, key: options.key ?? KEY, timeoutMs: options.timeoutMs ?? 2000, languages: ['en', 'de'] });

  test('speaks the documented protocol: POST form-encoded to <base>/1.1/comment-check with every parameter', async () => {
    service.answer('ham');
    const sent = service.received.length;
    assert.equal(await client().check(COMMENT), 'ham');
    const check = service.received[sent]!;
    assert.deepEqual([check.method, check.path], ['POST', '/1.1/comment-check']);
    assert.match(check.contentType, /^application\/x-www-form-urlencoded/);
    assert.match(check.userAgent, /^Threadline\//, 'the library names itself, apart from the reader’s user_agent');
    assert.deepEqual(Object.fromEntries(check.form), {
      api_key: KEY,
      blog: 'https://news.example',
      user_ip: '203.0.113.9',
      user_agent: COMMENT.client.userAgent,
      referrer: COMMENT.client.referrer,
      permalink: COMMENT.permalink,
      comment_type: 'comment',
      comment_author: 'Ann',
      comment_content: COMMENT.body,
      comment_date_gmt: COMMENT.at,
      blog_lang: 'en, de',
      blog_charset: 'UTF-8',
    });
  });

  test('`true` is spam, with `X-akismet-pro-tip: discard` blatant; `false` is not; an edit says it is a recheck', async () => {
    service.answer((form) => (form.get('comment_author') === GUARANTEED_SPAM_AUTHOR ? 'spam' : 'ham'));
    assert.equal(await client().check({ ...COMMENT, authorName: GUARANTEED_SPAM_AUTHOR }), 'spam');
    assert.equal(await client().check(COMMENT), 'ham');
    service.answer('blatant');
    assert.equal(await client().check(COMMENT), 'blatant');
    service.answer('ham');
    await client().check({ ...COMMENT, recheck: 'edit' });
    assert.equal(service.received.at(-1)!.form.get('recheck_reason'), 'edit');
  });

  test('anything but a verdict is an error: `invalid` (a bad key) with its debug help, an HTTP 500', async () => {
    service.answer('ham');
    await assert.rejects(client({ key: 'wrong' }).check(COMMENT), (err: unknown) => err instanceof SpamServiceError && err.kind === 'error' && /invalid.*Invalid API key/.test(err.message));
    service.answer('fail');
    await assert.rejects(client().check(COMMENT), (err: unknown) => err instanceof SpamServiceError && err.kind === 'error' && /HTTP 500/.test(err.message));
  });

  test('a service slower than the timeout is given up on: a timeout, not a hang', async () => {
    service.answer('hang');
    const sent = service.received.length;
    await assert.rejects(client({ timeoutMs: 200 }).check(COMMENT), (err: unknown) => err instanceof SpamServiceError && err.kind === 'timeout');
    assert.equal(service.received.length, sent + 1, 'it was asked');
    service.releaseHanging();
  });

  test('a service that is not there is an error', async () => {
    const gone = await startAkismetTestServer({ key: KEY });
    await gone.close();
    const unreachable = createAkismetClient({ url: gone.url, key: KEY, timeoutMs: 2000, languages: [] });
    await assert.rejects(unreachable.check(COMMENT), (err: unknown) => err instanceof SpamServiceError && err.kind === 'error');
  });
});

describe('the outside service phase: timeout and circuit breaker', () => {
  let service: Awaited<ReturnType<typeof startAkismetTestServer>>;
  before(async () => {
    service = await startAkismetTestServer({ key: KEY });
  });
  after(() => service.close());

  const FACTS: SpamFacts = { published: false, threadsWithText: 1, guestIsNew: true, newGuestsFromAddress: 1 };
  const input: SpamInput = {
    kind: 'post',
    sender: { guestId: 'g1', address: '203.0.113.9' },
    client: COMMENT.client,
    thread: { id: 't1', slug: 'vote' },
    authorName: 'Ann',
    body: 'A comment.',
    previousBody: null,
    commentId: null,
    at: COMMENT.at,
  };

  test('a spam verdict holds; slow or failing is not checked; after 3 failures in a row the service is not asked, until a probe finds it back', async () => {
    let clock = 0;
    const breaker = createCircuitBreaker({ failures: 3, cooldownMs: 30_000, now: () => clock });
    const phase = outsideService({ service: createAkismetClient({ url: service.url, key: KEY, timeoutMs: 200, languages: [] }), breaker });
    const judge = (over: Partial<SpamInput> = {}) => phase.judge({ input: { ...input, ...over }, facts: FACTS, rules: DEFAULT_SPAM_RULES });

    assert.deepEqual(await judge({ authorName: GUARANTEED_SPAM_AUTHOR }), { spam: true, reason: 'spam_external' });
    assert.equal((await judge()).spam, false);
    assert.equal(service.received.at(-1)!.form.get('permalink'), 'https://news.example/articles/vote');

    service.answer('hang');
    assert.deepEqual(await judge(), { spam: false, notChecked: 'timeout' });
    service.answer('fail');
    assert.deepEqual(await judge(), { spam: false, notChecked: 'error' });
    service.answer('invalid');
    assert.deepEqual(await judge(), { spam: false, notChecked: 'error' });
    assert.equal(breaker.state(), 'open');

    const asked = service.received.length;
    for (let i = 0; i < 5; i++) assert.deepEqual(await judge(), { spam: false, notChecked: 'unavailable' });
    assert.equal(service.received.length, asked, 'an open breaker asks nothing: later posts do not wait');

    // After the cooldown, one probe: the service still fails, so it opens again without anyone else asking.
    clock += 30_000;
    assert.deepEqual(await judge(), { spam: false, notChecked: 'error' });
    assert.equal(service.received.length, asked + 1);
    assert.deepEqual(await judge(), { spam: false, notChecked: 'unavailable' });
    assert.equal(service.received.length, asked + 1);

    // The service recovers; the next probe finds it and every later post is checked again.
    service.answer((form) => (form.get('comment_author') === GUARANTEED_SPAM_AUTHOR ? 'spam' : 'ham'));
    clock += 30_000;
    assert.deepEqual(await judge(), { spam: false });
    assert.equal(breaker.state(), 'closed');
    assert.deepEqual(await judge({ authorName: GUARANTEED_SPAM_AUTHOR }), { spam: true, reason: 'spam_external' });
    assert.equal(service.received.length, asked + 3);
    service.releaseHanging();
  });
});
