import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, test } from 'node:test';
import { CommentResponseSchema, ErrorResponseSchema, type CommentView, type ErrorBody } from '../../lib/contract';
import { limitRule, type LimitRules } from '../../lib/services/limits';
import { DISCONNECT_AFTER_REFUSALS } from '../realtime/eventBudget';
import { rateLimitsOffBanner } from '../rateLimits';
import { HttpGuest, type HttpResult } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST, type StartNodeOptions } from '../testing/nodes';
import { connectTestRedis, deleteKeys, REDIS_URL, uniqueRedisPrefix } from '../testing/redis';
import { OwnRedisServer } from '../testing/redisServer';
import { createViaSocket, record, subscribe } from '../testing/sockets';
import { waitFor } from '../testing/wait';
import { useNodes } from '../testing/suites';

/**
 * The rate limits end to end (docs/security.md, "Limits"): a flooding client
 * is refused (429 with Retry-After, or an error ack with retryAfter) while
 * another is unaffected; with Redis the counts are shared by every node; with
 * Redis down each node still limits; RATE_LIMITS=off lifts them.
 */

/** Small budgets, so that a test floods in a few requests. */
const SMALL: Partial<LimitRules> = {
  posts: limitRule('3/60'),
  reports: limitRule('2/60'),
  loginAddress: limitRule('6/60'),
  loginFailures: limitRule('3/60'),
  typing: limitRule('2/60'),
  socketEvents: limitRule('5/60'),
  httpWrites: limitRule('40/60'),
};

const suite = useNodes({ closeNodes: 'afterEach' });
const { sockets } = suite;

const node = (options: Omit<StartNodeOptions, 'db'> = {}) => suite.start({ limits: SMALL, passwordCost: TEST_PASSWORD_COST, ...options });

function created(res: HttpResult, what: string): CommentView {
  assert.equal(res.status, 201, `${what}: expected 201, got ${res.status} ${JSON.stringify(res.body)}`);
  return CommentResponseSchema.parse(res.body).comment;
}

/** A 429 with a stable code, `retryAfter` in the body and the same number in `Retry-After`. */
function limited(res: HttpResult, what: string): ErrorBody {
  assert.equal(res.status, 429, `${what}: expected 429, got ${res.status} ${JSON.stringify(res.body)}`);
  const { error } = ErrorResponseSchema.parse(res.body);
  assert.equal(error.code, 'rate_limited');
  assert.ok(error.retryAfter !== undefined && error.retryAfter >= 1 && error.retryAfter <= 60, `retryAfter ${error.retryAfter}`);
  assert.equal(res.headers.get('retry-after'), String(error.retryAfter));
  return error;
}

function comment(body: string) {
  return { body, authorName: 'Flo' };
}

describe('one node', () => {
  test('posting over HTTP: a flooding guest gets 429 with Retry-After; another guest posts fine', async () => {
    const n = await node();
    const t = await createOpenThread(n.services, 'flood');
    const flooder = new HttpGuest(n.baseUrl);
    for (let i = 0; i < 3; i++) created(await flooder.post(t.slug, comment(`post ${i}`)), `post ${i}`);
    limited(await flooder.post(t.slug, comment('one too many')), 'the 4th post');
    limited(await flooder.post(t.slug, comment('and again')), 'the 5th post');
    created(await new HttpGuest(n.baseUrl).post(t.slug, comment('someone else')), 'another guest');
  });

  test('posting over the socket: an error ack with retryAfter; another socket posts fine', async () => {
    const n = await node({ limits: { ...SMALL, socketEvents: { points: 100, durationSeconds: 60 } } });
    const t = await createOpenThread(n.services, 'socket flood');
    const [flooder, other] = [await sockets.connect(n.baseUrl), await sockets.connect(n.baseUrl)];
    for (let i = 0; i < 3; i++) assert.equal((await createViaSocket(flooder, { slug: t.slug, ...comment(`s${i}`) })).ok, true);
    const ack = await createViaSocket(flooder, { slug: t.slug, ...comment('one too many') });
    assert.ok(!ack.ok, 'refused');
    assert.equal(ack.error.code, 'rate_limited');
    assert.ok(ack.error.retryAfter !== undefined && ack.error.retryAfter >= 1 && ack.error.retryAfter <= 60);
    assert.equal((await createViaSocket(other, { slug: t.slug, ...comment('me too') })).ok, true);
  });

  test('reporting: a guest reporting too fast gets 429; another guest reports fine', async () => {
    const n = await node();
    const t = await createOpenThread(n.services, 'reports');
    const target = created(await new HttpGuest(n.baseUrl).post(t.slug, comment('reported')), 'the comment');
    const report = (guest: HttpGuest, reason: string) => guest.request('POST', `/api/comments/${target.id}/report`, { json: { reason } });
    const reporter = new HttpGuest(n.baseUrl);
    assert.equal((await report(reporter, 'spam')).status, 201);
    assert.equal((await report(reporter, 'spam again')).status, 200);
    limited(await report(reporter, 'and again'), 'the 3rd report');
    assert.equal((await report(new HttpGuest(n.baseUrl), 'rude')).status, 201);
  });

  test('sign-in: failures limited per username and address, and attempts per address across usernames', async () => {
    const n = await node();
    const login = (username: string) => new HttpGuest(n.baseUrl).request('POST', '/api/auth/login', { json: { username, password: 'not the password' } });
    for (let i = 0; i < 3; i++) assert.equal((await login('alice')).status, 401);
    const error = limited(await login('alice'), 'the 4th attempt for alice');
    assert.match(error.message, /sign-in/);
    // Another username is not held up by alice's limit…
    assert.equal((await login('bob')).status, 401);
    assert.equal((await login('carol')).status, 401);
    // …until the address's own budget (6) is spent: 4 for alice, bob, carol = 6.
    limited(await login('dave'), 'a 7th attempt from the same address');
  });

  test('typing: at most RATE_LIMIT_TYPING signals per connection reach the others; another typist is unaffected', async () => {
    const n = await node({ limits: { ...SMALL, socketEvents: { points: 100, durationSeconds: 60 } } });
    const t = await createOpenThread(n.services, 'typing');
    const [typist, other, reader] = [await sockets.connect(n.baseUrl), await sockets.connect(n.baseUrl), await sockets.connect(n.baseUrl)];
    for (const s of [typist, other, reader]) await subscribe(s, t.slug, t.seq);
    const notices = record(reader, 'thread:typing');
    const events = record(reader, 'thread:event');
    for (let i = 0; i < 6; i++) typist.emit('comment:typing', { slug: t.slug, parentId: null });
    // Each socket's packets are handled in order: once this is answered, the signals above were handled.
    assert.equal((await typist.timeout(5000).emitWithAck('server:hello')).ok, true);
    other.emit('comment:typing', { slug: t.slug, parentId: null });
    assert.equal((await other.timeout(5000).emitWithAck('server:hello')).ok, true);
    // Barrier: anything sent to the reader before this comment's event reaches it first.
    const barrier = created(await new HttpGuest(n.baseUrl).post(t.slug, comment('barrier')), 'the barrier');
    await events.find('the barrier', (e) => e.seq === barrier.seq);
    assert.equal(notices.items.length, 3, `2 from the typist's burst of 6, 1 from the other: ${JSON.stringify(notices.items)}`);
  });

  test('socket events in general: over budget, an event with an ack gets rate_limited, one without is dropped; another socket is unaffected', async () => {
    const n = await node();
    const t = await createOpenThread(n.services, 'budget');
    const [flooder, other] = [await sockets.connect(n.baseUrl), await sockets.connect(n.baseUrl)];
    const acks = await Promise.all(Array.from({ length: 8 }, () => flooder.timeout(5000).emitWithAck('server:hello')));
    assert.deepEqual(
      acks.map((a) => a.ok),
      [true, true, true, true, true, false, false, false],
    );
    for (const ack of acks.slice(5)) {
      assert.ok(!ack.ok);
      assert.equal(ack.error.code, 'rate_limited');
      assert.ok(ack.error.retryAfter !== undefined && ack.error.retryAfter >= 1);
    }
    // Over budget, a subscribe is not handled either (so the flooder hears nothing of the thread).
    const subscribeAck = await flooder.timeout(5000).emitWithAck('thread:subscribe', { slug: t.slug });
    assert.ok(!subscribeAck.ok && subscribeAck.error.code === 'rate_limited');
    assert.equal((await other.timeout(5000).emitWithAck('server:hello')).ok, true, 'another socket (another guest) is unaffected');
    await subscribe(other, t.slug, t.seq);
  });

  test(`a socket that keeps flooding after ${DISCONNECT_AFTER_REFUSALS} refusals in a row is disconnected; the node serves others`, async () => {
    const n = await node();
    const flooder = await sockets.connect(n.baseUrl);
    const gone = new Promise<string>((resolve) => flooder.once('disconnect', (reason) => resolve(reason)));
    for (let i = 0; i < 5 + DISCONNECT_AFTER_REFUSALS + 10; i++) flooder.emit('comment:typing', { slug: 'whatever', parentId: null });
    assert.equal(await gone, 'io server disconnect');
    const other = await sockets.connect(n.baseUrl);
    assert.equal((await other.timeout(5000).emitWithAck('server:hello')).ok, true);
  });

  test('HTTP writes per address: over budget, 429 on any write; reads and other addresses are unaffected', async () => {
    const n = await node({ limits: { ...SMALL, httpWrites: { points: 3, durationSeconds: 60 } } });
    const t = await createOpenThread(n.services, 'writes');
    const guest = new HttpGuest(n.baseUrl);
    for (let i = 0; i < 3; i++) created(await guest.post(t.slug, comment(`w${i}`)), `write ${i}`);
    limited(await new HttpGuest(n.baseUrl).post(t.slug, comment('a new guest, same address')), 'a 4th write from 127.0.0.1');
    limited(await guest.request('DELETE', '/api/comments/c_nothing'), 'any write');
    assert.equal((await guest.get(`/api/threads/${t.slug}`)).status, 200, 'reads are not limited');
    // Linux routes all of 127/8 to loopback: 127.0.0.2 is another address on the same machine.
    const fromElsewhere = await postFrom('127.0.0.2', `${n.baseUrl}/api/threads/${t.slug}/comments`, comment('from another address'));
    assert.equal(fromElsewhere.status, 201, fromElsewhere.body);
  });

  test('RATE_LIMITS=off lifts posting, reporting, socket and HTTP write limits; sign-in stays limited; the banner is loud', async () => {
    const n = await node({ rateLimits: false, limits: { ...SMALL, httpWrites: { points: 3, durationSeconds: 60 } } });
    const t = await createOpenThread(n.services, 'off');
    const guest = new HttpGuest(n.baseUrl);
    for (let i = 0; i < 8; i++) created(await guest.post(t.slug, comment(`unlimited ${i}`)), `post ${i}`);
    const target = created(await guest.post(t.slug, comment('reported')), 'the comment');
    for (let i = 0; i < 4; i++) assert.ok([200, 201].includes((await guest.request('POST', `/api/comments/${target.id}/report`, { json: { reason: `r${i}` } })).status));
    const socket = await sockets.connect(n.baseUrl);
    const acks = await Promise.all(Array.from({ length: 12 }, () => socket.timeout(5000).emitWithAck('server:hello')));
    assert.ok(acks.every((a) => a.ok));
    for (let i = 0; i < 3; i++) assert.equal((await guest.request('POST', '/api/auth/login', { json: { username: 'alice', password: 'nope' } })).status, 401);
    limited(await guest.request('POST', '/api/auth/login', { json: { username: 'alice', password: 'nope' } }), 'sign-in');

    const banner = rateLimitsOffBanner();
    assert.ok(banner.split('\n').length >= 4, 'several lines');
    assert.match(banner, /RATE_LIMITS=off/);
    assert.match(banner, /are NOT[\s!]+rate-limited/);
  });
});

describe('shared by the nodes through Redis', () => {
  test('posting on node A then node B counts once: the limit is shared, and kept in Redis under the prefix', async () => {
    const prefix = uniqueRedisPrefix();
    const admin = await connectTestRedis();
    try {
      const [a, b] = [await node({ redis: { url: REDIS_URL, prefix } }), await node({ redis: { url: REDIS_URL, prefix } })];
      // Until a node's Redis connection is ready its insurance limiter answers: wait until both count in Redis.
      for (const [i, n] of [a, b].entries()) {
        await waitFor(`node ${i}'s limits to reach Redis`, async () => {
          await n.services.limiters.socketEvents.consume(`probe-${i}`);
          return (await admin.exists(`${prefix}:rl:socketEvents:probe-${i}`)) === 1;
        });
      }
      const t = await createOpenThread(a.services, 'shared');
      const onA = new HttpGuest(a.baseUrl);
      created(await onA.post(t.slug, comment('on A')), 'the 1st post, on A');
      const onB = new HttpGuest(b.baseUrl, onA.cookie);
      created(await onB.post(t.slug, comment('on B')), 'the 2nd post, on B');
      created(await onA.post(t.slug, comment('on A again')), 'the 3rd post, on A');
      limited(await onB.post(t.slug, comment('one too many, on B')), 'the 4th post, on B');
      limited(await onA.post(t.slug, comment('one too many, on A')), 'the 4th post, on A');
      created(await new HttpGuest(b.baseUrl).post(t.slug, comment('another guest on B')), 'another guest');
      const keys = await admin.keys(`${prefix}:rl:posts:*`);
      assert.equal(keys.length, 2, `one key per guest: ${keys.join(', ')}`);
    } finally {
      await deleteKeys(admin, prefix);
      admin.disconnect();
    }
  });

  test('Redis down: the in-memory insurance limiter still limits, and nothing fails', async () => {
    const redis = await OwnRedisServer.start();
    try {
      const n = await node({ redis: { url: redis.url, prefix: uniqueRedisPrefix() } });
      const t = await createOpenThread(n.services, 'insurance');
      created(await new HttpGuest(n.baseUrl).post(t.slug, comment('while Redis is up')), 'a post while Redis is up');
      await redis.stop();
      const started = Date.now();
      // A guest new to the insurance limiter: it counts from zero, so the 4th post is the first refused.
      const guest = new HttpGuest(n.baseUrl);
      for (let i = 0; i < 3; i++) created(await guest.post(t.slug, comment(`Redis is down ${i}`)), `post ${i} while Redis is down`);
      limited(await guest.post(t.slug, comment('one too many')), 'the 4th post with Redis down');
      created(await new HttpGuest(n.baseUrl).post(t.slug, comment('another guest')), 'another guest');
      assert.ok(Date.now() - started < 5000, 'no request waits on the missing Redis');
      const socket = await sockets.connect(n.baseUrl);
      const acks = await Promise.all(Array.from({ length: 7 }, () => socket.timeout(5000).emitWithAck('server:hello')));
      assert.deepEqual(
        acks.map((a) => a.ok),
        [true, true, true, true, true, false, false],
        'the socket budget holds too',
      );
    } finally {
      await suite.closeAll();
      await redis.stop();
    }
  });
});

/** A JSON POST from a given local address (fetch cannot choose one). */
function postFrom(localAddress: string, url: string, json: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(json);
    const req = http.request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
