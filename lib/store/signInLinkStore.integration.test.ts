import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from './index';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './testDatabases';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;
let n = 0;
const hash = (label: string) => `${label}-${++n}-`.padEnd(64, 'x');

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`the sign-in link store on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    });
    after(async () => {
      await store.close();
      await db.cleanup();
    });

    const newLink = async (overrides: { expiresAt?: string } = {}) => {
      const link = { tokenHash: hash('t'), browserHash: hash('b'), email: 'ann@example.test', nextPath: '/articles/a', createdAt: iso(T0), expiresAt: overrides.expiresAt ?? iso(T0 + 15 * MINUTE) };
      await store.signInLinks.createLink(link);
      return link;
    };

    test('a link is used once, by its browser, before it expires; each refusal says why and changes nothing', async () => {
      const link = await newLink();
      const use = (browserHash: string, at: number) => store.signInLinks.useLink({ tokenHash: link.tokenHash, browserHash, now: iso(at) });
      assert.deepEqual(await use('another', T0 + MINUTE), { ok: false, reason: 'other_browser' });
      assert.deepEqual(await use(link.browserHash, T0 + MINUTE), { ok: true, email: 'ann@example.test', nextPath: '/articles/a' });
      assert.deepEqual(await use(link.browserHash, T0 + 2 * MINUTE), { ok: false, reason: 'used' });
      assert.deepEqual(await use('another', T0 + 2 * MINUTE), { ok: false, reason: 'used' });
      assert.deepEqual(await store.signInLinks.useLink({ tokenHash: 'nope', browserHash: link.browserHash, now: iso(T0) }), { ok: false, reason: 'unknown' });

      const late = await newLink();
      assert.deepEqual(await store.signInLinks.useLink({ tokenHash: late.tokenHash, browserHash: late.browserHash, now: late.expiresAt }), { ok: false, reason: 'expired' });
    });

    test('two uses racing: exactly one signs in', async () => {
      const link = await newLink();
      const results = await Promise.all(Array.from({ length: 5 }, () => store.signInLinks.useLink({ tokenHash: link.tokenHash, browserHash: link.browserHash, now: iso(T0 + MINUTE) })));
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'used'));
    });

    test('frame codes: redeemed once, before they expire', async () => {
      const user = (await store.accounts.accountForIdentity({ method: 'email', provider: 'email', subject: `fc-${kind}@example.test`, email: `fc-${kind}@example.test`, emailVerified: true, name: null, badges: null })).user;
      const codeHash = hash('c');
      await store.signInLinks.createFrameCode({ codeHash, userId: user.id, method: 'email', expiresAt: iso(T0 + MINUTE) });
      assert.deepEqual(await store.signInLinks.redeemFrameCode({ codeHash, now: iso(T0 + MINUTE) }), { ok: false });
      assert.deepEqual(await store.signInLinks.redeemFrameCode({ codeHash, now: iso(T0) }), { ok: true, userId: user.id, method: 'email' });
      assert.deepEqual(await store.signInLinks.redeemFrameCode({ codeHash, now: iso(T0) }), { ok: false });
    });

    test('the sweep drops what expired before the given time, and nothing else', async () => {
      const old = await newLink({ expiresAt: iso(T0 - 2 * 24 * 60 * MINUTE) });
      const fresh = await newLink();
      await store.signInLinks.sweep({ before: iso(T0 - 24 * 60 * MINUTE) });
      assert.deepEqual(await store.signInLinks.useLink({ tokenHash: old.tokenHash, browserHash: old.browserHash, now: iso(T0) }), { ok: false, reason: 'unknown' });
      assert.equal((await store.signInLinks.useLink({ tokenHash: fresh.tokenHash, browserHash: fresh.browserHash, now: iso(T0) })).ok, true);
    });
  });
}
