import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../domain/errors';
import type { HashLane, HashTicket } from './passwordHasher';
import { createMemoryRateLimiter } from './rateLimiter';
import { admitSignIn, type SignInLimiters } from './signInGate';

const limiters = (address = 5, failures = 3, hashes = 100): SignInLimiters => ({
  byAddress: createMemoryRateLimiter({ points: address, durationSeconds: 60 }),
  failures: createMemoryRateLimiter({ points: failures, durationSeconds: 900 }),
  hashes: createMemoryRateLimiter({ points: hashes, durationSeconds: 60 }),
});

/** A hasher with `places` places per lane, recording which lanes were asked for. */
function places(count: number) {
  const lanes: HashLane[] = [];
  let out = 0;
  const reserve = (lane: HashLane): HashTicket => {
    if (out >= count) throw new AppError('sign_in_busy', { retryAfter: 1 });
    out += 1;
    lanes.push(lane);
    let released = false;
    const release = () => {
      if (!released) out -= 1;
      released = true;
    };
    return { derive: async () => Buffer.alloc(0), release };
  };
  return { reserve, lanes };
}

const code = (expected: string) => (err: unknown) => AppError.is(err) && err.code === expected;
const stranger = (username: string, clientKey: string) => ({ username, clientKey, deviceId: null });

describe('admitting a sign-in', () => {
  test("a stranger's failures count per username and address: the same username from another address starts afresh", async () => {
    const l = limiters(10, 3);
    const hasher = places(100);
    for (let i = 0; i < 3; i++) await admitSignIn(l, hasher.reserve, stranger('alice', 'A'));
    await assert.rejects(admitSignIn(l, hasher.reserve, stranger('alice', 'A')), code('rate_limited'));
    await admitSignIn(l, hasher.reserve, stranger('alice', 'B'));
    await admitSignIn(l, hasher.reserve, stranger('bob', 'A'));
    assert.deepEqual(new Set(hasher.lanes), new Set(['open']));
  });

  test('a right password gives its failure point back', async () => {
    const l = limiters(10, 2);
    const hasher = places(100);
    for (let i = 0; i < 5; i++) await (await admitSignIn(l, hasher.reserve, stranger('alice', 'A'))).succeeded();
    await admitSignIn(l, hasher.reserve, stranger('alice', 'A'));
  });

  test('busy (the ceiling, or no place in the lane) is answered sign_in_busy and costs the client nothing', async () => {
    const l = limiters(2, 2, 1);
    await admitSignIn(l, places(100).reserve, stranger('carol', 'C'));
    // The ceiling is spent: refusals from A, as many as it likes, spend none of its own budgets.
    for (let i = 0; i < 5; i++) await assert.rejects(admitSignIn(l, places(100).reserve, stranger('alice', 'A')), code('sign_in_busy'));
    const full = limiters(2, 2, 100);
    for (let i = 0; i < 5; i++) await assert.rejects(admitSignIn(full, places(0).reserve, stranger('alice', 'A')), code('sign_in_busy'));
    await admitSignIn(full, places(1).reserve, stranger('alice', 'A'));
    await admitSignIn(full, places(1).reserve, stranger('alice', 'A'));
  });

  test('giving back (the lookup failed) returns the place and the points', async () => {
    const l = limiters(1, 1);
    const hasher = places(1);
    await (await admitSignIn(l, hasher.reserve, stranger('alice', 'A'))).giveBack();
    await admitSignIn(l, hasher.reserve, stranger('alice', 'A'));
  });

  test("a known browser waits in its own lane, counts its own failures, and is not held by its address's budget or the ceiling", async () => {
    const l = limiters(1, 2, 1);
    const hasher = places(100);
    await admitSignIn(l, hasher.reserve, stranger('mallory', 'A'));
    await assert.rejects(admitSignIn(l, hasher.reserve, stranger('alice', 'A')), code('rate_limited'));
    const known = { username: 'alice', clientKey: 'A', deviceId: 'device-1' };
    await admitSignIn(l, hasher.reserve, known);
    await admitSignIn(l, hasher.reserve, known);
    await assert.rejects(admitSignIn(l, hasher.reserve, known), code('rate_limited'), 'its own failures are limited too');
    assert.deepEqual(hasher.lanes, ['open', 'known', 'known']);
  });
});
