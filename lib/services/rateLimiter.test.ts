import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../domain/errors';
import { ALWAYS_ON, buildLimiters, DEFAULT_LIMITS, LIMIT_NAMES, type LimiterFactory } from './limits';
import { consumeOrThrow, createMemoryRateLimiter, fromFlexible, unlimited } from './rateLimiter';

describe('the rate limiter wrapper', () => {
  test('allows `points` actions per key, then refuses with the time left in the window', async () => {
    const limiter = createMemoryRateLimiter({ points: 3, durationSeconds: 60 });
    for (let i = 0; i < 3; i++) assert.deepEqual(await limiter.consume('a'), { allowed: true });
    const refused = await limiter.consume('a');
    assert.equal(refused.allowed, false);
    assert.ok(!refused.allowed && refused.retryAfterMs > 55_000 && refused.retryAfterMs <= 60_000, JSON.stringify(refused));
    assert.deepEqual(await limiter.consume('b'), { allowed: true }, 'another key has its own budget');
  });

  test('refund gives a point back (rate-limiter-flexible reward)', async () => {
    const limiter = createMemoryRateLimiter({ points: 1, durationSeconds: 60 });
    assert.equal((await limiter.consume('a')).allowed, true);
    await limiter.refund('a');
    assert.equal((await limiter.consume('a')).allowed, true);
    assert.equal((await limiter.consume('a')).allowed, false);
  });

  test('limiters with different key prefixes do not share counts', async () => {
    const posts = createMemoryRateLimiter({ points: 1, durationSeconds: 60, keyPrefix: 'posts' });
    const reports = createMemoryRateLimiter({ points: 1, durationSeconds: 60, keyPrefix: 'reports' });
    assert.equal((await posts.consume('g')).allowed, true);
    assert.equal((await reports.consume('g')).allowed, true);
  });

  test('a failure of the store (not a refusal) is thrown, not taken for a refusal', async () => {
    const broken = new RateLimiterMemory({ points: 1, duration: 1 });
    broken.consume = () => Promise.reject(new Error('store down'));
    await assert.rejects(fromFlexible(broken).consume('a'), /store down/);
  });

  test('a refusal from any copy of the library is recognised by its shape', async () => {
    const limiter = new RateLimiterMemory({ points: 1, duration: 1 });
    limiter.consume = () => Promise.reject(Object.assign(Object.create(null) as object, { msBeforeNext: 1500, remainingPoints: 0 }));
    assert.deepEqual(await fromFlexible(limiter).consume('a'), { allowed: false, retryAfterMs: 1500 });
    limiter.consume = () => Promise.reject(new RateLimiterRes(0, 2500));
    assert.deepEqual(await fromFlexible(limiter).consume('a'), { allowed: false, retryAfterMs: 2500 });
  });

  test('a failed refund is ignored: it costs the client one point, not the request', async () => {
    const limiter = new RateLimiterMemory({ points: 1, duration: 1 });
    limiter.reward = () => Promise.reject(new Error('store down'));
    await fromFlexible(limiter).refund('a');
  });

  test('consumeOrThrow throws rate_limited with whole seconds to wait (at least 1) and the message given', async () => {
    const limiter = createMemoryRateLimiter({ points: 1, durationSeconds: 30 });
    await consumeOrThrow(limiter, 'k');
    const err = await consumeOrThrow(limiter, 'k', 'Slow down.').then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(AppError.is(err));
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.status, 429);
    assert.equal(err.message, 'Slow down.');
    assert.ok(err.retryAfter !== undefined && err.retryAfter >= 29 && err.retryAfter <= 30, String(err.retryAfter));
    const nearlyOver = { consume: async () => ({ allowed: false as const, retryAfterMs: 10 }), refund: async () => {} };
    await assert.rejects(consumeOrThrow(nearlyOver, 'k'), (e: AppError) => e.retryAfter === 1);
  });
});

describe('buildLimiters', () => {
  const seen = (): { factory: LimiterFactory; built: string[] } => {
    const built: string[] = [];
    return { built, factory: ({ name, rule }) => (built.push(name), createMemoryRateLimiter({ ...rule, keyPrefix: name })) };
  };

  test('every named limit is built from its rule; a rule given replaces the default', async () => {
    const { factory, built } = seen();
    const limiters = buildLimiters({ rules: { posts: { points: 2, durationSeconds: 60 } }, factory });
    assert.deepEqual(Object.keys(limiters).sort(), [...LIMIT_NAMES].sort());
    // The typing throttle is per connection and password checks are per node: neither goes to the shared store.
    assert.deepEqual(built.sort(), LIMIT_NAMES.filter((n) => n !== 'typing' && n !== 'loginHashes').sort());
    assert.equal((await limiters.posts.consume('g')).allowed, true);
    assert.equal((await limiters.posts.consume('g')).allowed, true);
    assert.equal((await limiters.posts.consume('g')).allowed, false);
  });

  test('`off` lifts one limit; enabled: false (RATE_LIMITS=off) lifts all but sign-in and typing', () => {
    assert.equal(buildLimiters({ rules: { reports: 'off' } }).reports, unlimited);
    assert.notEqual(buildLimiters({ rules: { reports: 'off' } }).posts, unlimited);
    const off = buildLimiters({ enabled: false });
    for (const name of LIMIT_NAMES) assert.equal(off[name] === unlimited, !ALWAYS_ON.has(name), name);
    assert.deepEqual([...ALWAYS_ON].sort(), ['emailLinks', 'emailLinksAddress', 'loginAddress', 'loginFailures', 'loginHashes', 'typing']);
  });

  test('the defaults are sane: at least one point, at least one second', () => {
    for (const name of LIMIT_NAMES) {
      const rule = DEFAULT_LIMITS[name];
      assert.ok(rule !== 'off' && rule.points >= 1 && rule.durationSeconds >= 1, name);
    }
  });
});
