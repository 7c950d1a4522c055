import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { AppError } from '../domain/errors';
import { createPasswordHasher, type PasswordHasher, type ScryptJob } from './passwordHasher';

const job = (password: string, N = 2 ** 10): ScryptJob => ({ password, salt: Buffer.from(`salt-${password}`), keyLength: 32, N, r: 8, p: 1 });
/** Slow enough that jobs queue behind it (64 MiB), quick enough for a unit test. */
const SLOW = 2 ** 16;

const hashers: PasswordHasher[] = [];
function hasher(workers: number, queue: number): PasswordHasher {
  const h = createPasswordHasher({ workers, queue });
  hashers.push(h);
  return h;
}
after(() => Promise.all(hashers.map((h) => h.close())));

function busy(err: unknown): boolean {
  assert.ok(AppError.is(err), String(err));
  assert.equal(err.code, 'sign_in_busy');
  assert.equal(err.status, 503);
  assert.ok(err.retryAfter !== undefined && err.retryAfter >= 1, `retryAfter ${err.retryAfter}`);
  return true;
}

describe('the password hasher', () => {
  test("derives scrypt's key, on a worker thread", async () => {
    const h = hasher(1, 0);
    const key = await h.reserve('open').derive(job('correct horse'));
    assert.deepEqual(key, scryptSync('correct horse', Buffer.from('salt-correct horse'), 32, { N: 2 ** 10, r: 8, p: 1 }));
  });

  test('a lane holds workers + queue sign-ins; one more is refused at once with sign_in_busy; a place given back is free again', async () => {
    const h = hasher(1, 2);
    const tickets = [h.reserve('open'), h.reserve('open'), h.reserve('open')];
    assert.throws(() => h.reserve('open'), busy);
    // The other lane has places of its own.
    const known = h.reserve('known');
    tickets[0]!.release();
    const again = h.reserve('open');
    assert.throws(() => h.reserve('open'), busy);
    for (const t of [...tickets, known, again]) t.release();
  });

  test('a ticket that hashed gives its place back; a used ticket cannot hash again', async () => {
    const h = hasher(1, 0);
    const ticket = h.reserve('open');
    assert.throws(() => h.reserve('open'), busy);
    await ticket.derive(job('once'));
    await assert.rejects(ticket.derive(job('twice')), /used up/);
    await h.reserve('open').derive(job('the next one'));
  });

  test('a waiting sign-in from a known browser goes before waiting strangers', async () => {
    const h = hasher(1, 3);
    const finished: string[] = [];
    const run = (lane: 'open' | 'known', name: string, N = 2 ** 10) =>
      h
        .reserve(lane)
        .derive(job(name, N))
        .then(() => finished.push(name));
    const first = run('open', 'running', SLOW);
    const rest = [run('open', 'stranger 1'), run('open', 'stranger 2'), run('known', 'owner')];
    await Promise.all([first, ...rest]);
    assert.deepEqual(finished, ['running', 'owner', 'stranger 1', 'stranger 2']);
  });

  test('at most `workers` hashes run at once: the rest wait their turn', async () => {
    const h = hasher(2, 4);
    const finished: number[] = [];
    await Promise.all([SLOW, SLOW, 2 ** 10, 2 ** 10].map((N, i) => h.reserve('open').derive(job(`p${i}`, N)).then(() => finished.push(i))));
    // The quick ones waited for a slow one to free a worker.
    assert.ok([0, 1].includes(finished[0]!), `finished in the order ${finished.join(', ')}`);
  });

  test('a hash that fails rejects its caller only; the next one is hashed', async () => {
    const h = hasher(1, 1);
    await assert.rejects(h.reserve('open').derive(job('bad', 1000)), /password hashing failed/);
    assert.equal((await h.reserve('open').derive(job('good'))).length, 32);
  });

  test('close() refuses what waits and stops the workers', async () => {
    const h = createPasswordHasher({ workers: 1, queue: 2 });
    const running = assert.rejects(h.reserve('open').derive(job('running', SLOW)), /closed/);
    const waiting = assert.rejects(h.reserve('open').derive(job('waiting')), /closed/);
    await h.close();
    await Promise.all([running, waiting]);
    assert.throws(() => h.reserve('open'), /closed/);
  });
});
