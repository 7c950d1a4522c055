import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../domain/errors';
import { createMemoryRateLimiter } from './rateLimiter';
import { senderBudget, spendOrThrow, UNLIMITED_BUDGET } from './senderBudget';

const MESSAGES = { guest: 'You are posting too fast.', address: 'Too many comments from your network address.' };

function budget(guestPoints: number, addressPoints: number) {
  const perGuest = createMemoryRateLimiter({ points: guestPoints, durationSeconds: 60, keyPrefix: 'g' });
  const perAddress = createMemoryRateLimiter({ points: addressPoints, durationSeconds: 30, keyPrefix: 'a' });
  return { perGuest, perAddress, budget: senderBudget({ action: 'post', perGuest, perAddress, messages: MESSAGES }) };
}

describe('a sender budget: the guest and its address', () => {
  test('guests rotating on one address share the address budget; another address has its own', async () => {
    const { budget: posts } = budget(10, 3);
    for (const guestId of ['g1', 'g2', 'g3']) assert.deepEqual(await posts.take({ guestId, address: '192.0.2.1' }), { allowed: true });
    const refused = await posts.take({ guestId: 'g4', address: '192.0.2.1' });
    assert.ok(!refused.allowed && refused.message === MESSAGES.address && refused.retryAfterMs > 25_000, JSON.stringify(refused));
    assert.deepEqual(await posts.take({ guestId: 'g4', address: '192.0.2.2' }), { allowed: true });
  });

  test('a guest over its own budget is told so, whatever its address', async () => {
    const { budget: posts } = budget(1, 100);
    assert.equal((await posts.take({ guestId: 'g', address: '192.0.2.1' })).allowed, true);
    const refused = await posts.take({ guestId: 'g', address: '198.51.100.1' });
    assert.ok(!refused.allowed && refused.message === MESSAGES.guest, JSON.stringify(refused));
  });

  test('both or neither: a refusal by one budget gives the other its point back', async () => {
    const { budget: posts, perGuest, perAddress } = budget(1, 2);
    assert.equal((await posts.take({ guestId: 'g1', address: 'A' })).allowed, true);
    // g1's own budget refuses: the address keeps its second point for someone else.
    assert.equal((await posts.take({ guestId: 'g1', address: 'A' })).allowed, false);
    assert.equal((await posts.take({ guestId: 'g2', address: 'A' })).allowed, true);
    // The address refuses g3: g3's own budget is untouched.
    assert.equal((await posts.take({ guestId: 'g3', address: 'A' })).allowed, false);
    assert.equal((await perGuest.consume('post:g3')).allowed, true, "g3's point was given back");
    assert.equal((await perAddress.consume('post:A')).allowed, false);
  });

  test('refund gives both points back', async () => {
    const { budget: posts } = budget(1, 1);
    const sender = { guestId: 'g', address: 'A' };
    assert.equal((await posts.take(sender)).allowed, true);
    await posts.refund(sender);
    assert.equal((await posts.take(sender)).allowed, true);
  });

  test('spendOrThrow throws rate_limited with whole seconds and the refusal’s message', async () => {
    const { budget: posts } = budget(5, 1);
    await spendOrThrow(posts, { guestId: 'g', address: 'A' });
    const err = await spendOrThrow(posts, { guestId: 'h', address: 'A' }).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(AppError.is(err));
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.message, MESSAGES.address);
    assert.ok(err.retryAfter !== undefined && err.retryAfter >= 29 && err.retryAfter <= 30, String(err.retryAfter));
  });

  test('the unlimited budget allows everything', async () => {
    for (let i = 0; i < 100; i++) assert.equal((await UNLIMITED_BUDGET.take({ guestId: 'g', address: 'A' })).allowed, true);
  });
});
