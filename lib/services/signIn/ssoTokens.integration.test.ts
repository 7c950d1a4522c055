import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CompactSign, exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { AppError } from '../../domain/errors';
import { openStore, type Store } from '../../store';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../store/testDatabases';
import { createSsoTokens, type SsoSettings, type SsoTokens } from './ssoTokens';

/**
 * Every attack on the host site's sign-in token (docs/security.md, "The site's sign-in token"),
 * against a real key-set server (node:http, in this test) and the real used-token table on SQLite
 * and PostgreSQL.
 */

const SECRET = 'the-host-sites-shared-secret-0123456789';
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const s = (ms: number) => Math.floor(ms / 1000);

/** A key-set server as a host publishes one; `keys` may change under it (a rotation). */
async function startKeySet(): Promise<{ url: string; keys: JWK[]; fetches: number; down: boolean; close(): Promise<void> }> {
  const state = { url: '', keys: [] as JWK[], fetches: 0, down: false, close: async () => {} };
  const server = http.createServer((_req, res) => {
    state.fetches++;
    if (state.down) return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

async function keyPair(alg: 'RS256' | 'ES256', kid: string): Promise<{ kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK; publicKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** Claims of a fresh token at T0, with `over` replacing (undefined: leaving out) any of them. */
function claims(over: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = { sub: '42', name: 'Ada Lovelace', email: 'ada@news.example', jti: randomUUID(), iat: s(T0), exp: s(T0) + 300, ...over };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined));
}

const hs256 = (payload: JWTPayload, secret = SECRET) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
const signed = (payload: JWTPayload, key: { kid: string; alg: string; privateKey: CryptoKey }) => new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);

/** The reason a refusal gives (`fields.token`), or the code of another error. */
async function reasonOf(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (err) {
    assert.ok(AppError.is(err), `an AppError, got ${String(err)}`);
    if (err.code !== 'sso_token_invalid') return err.code;
    assert.equal(err.status, 401);
    return err.fields!.token![0]!;
  }
  return assert.fail('the token was accepted');
}

for (const kind of ['sqlite', 'postgres'] as TestDatabaseKind[]) {
  describe(`the host site's sign-in token on ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let keySet: Awaited<ReturnType<typeof startKeySet>>;
    const clock = { now: T0 };
    const make = (settings: SsoSettings, on: Store = store): SsoTokens => createSsoTokens({ settings: { jwksCooldownMs: 0, ...settings }, store: on.ssoTokens, now: () => clock.now })!;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      keySet = await startKeySet();
    });
    after(async () => {
      await keySet.close();
      await store.close();
      await db.cleanup();
    });

    test('off without a secret and a key set', () => {
      assert.equal(createSsoTokens({ settings: {}, store: store.ssoTokens }), null);
    });

    test('an HS256 token signed with the secret names the person: the host vouches for the address, badges as given', async () => {
      const identity = await make({ secret: SECRET }).verify(await hs256(claims({ badges: ['journalist', 'expert'] })));
      assert.deepEqual(identity, { method: 'sso', provider: 'sso', subject: '42', email: 'ada@news.example', emailVerified: true, name: 'Ada Lovelace', badges: ['journalist', 'expert'] });
      const bare = await make({ secret: SECRET }).verify(await hs256(claims({ name: undefined, email: undefined })));
      assert.deepEqual([bare.email, bare.emailVerified, bare.name, bare.badges], [null, false, null, null], 'no email: not verified; no badges: left as they are');
    });

    test('a replayed jti is refused, on this node and on another one sharing the database, also when signed again', async () => {
      const sso = make({ secret: SECRET });
      const jti = randomUUID();
      const token = await hs256(claims({ jti }));
      await sso.verify(token);
      assert.equal(await reasonOf(sso.verify(token)), 'replayed');
      const otherStore = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      try {
        assert.equal(await reasonOf(make({ secret: SECRET }, otherStore).verify(token)), 'replayed', 'another node');
      } finally {
        await otherStore.close();
      }
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ jti, sub: '43' })))), 'replayed', 'a new token with a used jti');
    });

    test('the same new token sent five times at once signs in once', async () => {
      const sso = make({ secret: SECRET });
      const token = await hs256(claims());
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => sso.verify(token)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    test('expired, not yet valid, issued in the future or living too long: refused by its reason', async () => {
      const sso = make({ secret: SECRET });
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ iat: s(T0) - 400, exp: s(T0) - 60 })))), 'expired');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ iat: s(T0) - 900, exp: s(T0) + 60 })))), 'expired', 'issued longer ago than a token may live');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ nbf: s(T0) + 120 })))), 'not_yet_valid');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ iat: s(T0) + 120, exp: s(T0) + 300 })))), 'not_yet_valid', 'issued in the future');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ exp: s(T0) + 3600 })))), 'too_long_lived');
      // Within the clock tolerance (30 s) a token that just expired still passes.
      await sso.verify(await hs256(claims({ iat: s(T0) - 300, exp: s(T0) - 10 })));
    });

    test('alg none, a wrong secret, a tampered payload and malformed tokens are refused', async () => {
      const sso = make({ secret: SECRET });
      assert.equal(await reasonOf(sso.verify(new UnsecuredJWT(claims()).encode())), 'unsigned');
      const noneWithSignature = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.AAAA`;
      assert.equal(await reasonOf(sso.verify(noneWithSignature)), 'unsigned');
      assert.equal(await reasonOf(sso.verify(await hs256(claims(), 'another-secret-another-secret-another'))), 'bad_signature');
      const [header, , signature] = (await hs256(claims())).split('.');
      const forged = `${header}.${Buffer.from(JSON.stringify(claims({ sub: '1' }))).toString('base64url')}.${signature}`;
      assert.equal(await reasonOf(sso.verify(forged)), 'bad_signature');
      for (const junk of ['', 'abc', 'a.b.c', 'x'.repeat(9000), `${header}.bm90IGpzb24.${signature}`.slice(1)]) assert.equal(await reasonOf(sso.verify(junk)), 'malformed', junk.slice(0, 20));
      const notJson = await new CompactSign(new TextEncoder().encode('not json')).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
      assert.equal(await reasonOf(sso.verify(notJson)), 'malformed', 'signed, but no claims');
    });

    test('missing and bad claims are named', async () => {
      const sso = make({ secret: SECRET });
      for (const claim of ['sub', 'exp', 'iat', 'jti']) assert.equal(await reasonOf(sso.verify(await hs256(claims({ [claim]: undefined })))), `missing_claim:${claim}`);
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ badges: ['staff', 'wizard'] })))), 'bad_claim:badges', 'an unknown badge');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ badges: 'staff' })))), 'bad_claim:badges', 'not a list');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ email: 'not an address' })))), 'bad_claim:email');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ name: 'x'.repeat(51) })))), 'bad_claim:name');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ name: 'a\u202eb' })))), 'bad_claim:name');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ sub: 42 })))), 'bad_claim:sub');
      // A subject with NUL cannot be stored by PostgreSQL (once a 500 on POST /api/auth/sso).
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ sub: 'u-\u0000-1' })))), 'bad_claim:sub');
    });

    test('SSO_ISSUER and SSO_AUDIENCE are checked when set', async () => {
      const sso = make({ secret: SECRET, issuer: 'https://news.example', audience: 'threadline' });
      await sso.verify(await hs256(claims({ iss: 'https://news.example', aud: ['threadline', 'other'] })));
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ iss: 'https://evil.example', aud: 'threadline' })))), 'wrong_issuer');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ iss: 'https://news.example', aud: 'another-app' })))), 'wrong_audience');
      assert.equal(await reasonOf(sso.verify(await hs256(claims({ aud: 'threadline' })))), 'missing_claim:iss');
    });

    test('RS256 and ES256 tokens are checked with the published key set; an HS256 token is refused when only a key set is configured', async () => {
      const rsa = await keyPair('RS256', 'rsa-1');
      const ec = await keyPair('ES256', 'ec-1');
      keySet.keys = [rsa.publicJwk, ec.publicJwk];
      const sso = make({ jwksUrl: keySet.url });
      assert.equal((await sso.verify(await signed(claims(), rsa))).subject, '42');
      assert.equal((await sso.verify(await signed(claims({ sub: 'ec' }), ec))).subject, 'ec');
      assert.equal(await reasonOf(sso.verify(await hs256(claims()))), 'wrong_alg');
      // The classic confusion: the public key, known to all, used as an HMAC secret.
      assert.equal(await reasonOf(sso.verify(await hs256(claims(), await exportSPKI(rsa.publicKey)))), 'wrong_alg');
      assert.equal(await reasonOf(sso.verify(new UnsecuredJWT(claims()).encode())), 'unsigned');
      // And the other way round: only a secret, an RS256 token.
      assert.equal(await reasonOf(make({ secret: SECRET }).verify(await signed(claims(), rsa))), 'wrong_alg');
    });

    test('a wrong key: not in the set, or another key under a listed kid', async () => {
      const listed = await keyPair('RS256', 'listed');
      keySet.keys = [listed.publicJwk];
      const sso = make({ jwksUrl: keySet.url });
      assert.equal(await reasonOf(sso.verify(await signed(claims(), await keyPair('RS256', 'stranger')))), 'unknown_key');
      const impostor = await keyPair('RS256', 'listed');
      assert.equal(await reasonOf(sso.verify(await signed(claims(), impostor))), 'bad_signature');
    });

    test('a key-set rotation: a token with the new kid is accepted (the set is fetched again), the old key is then refused', async () => {
      const old = await keyPair('ES256', 'key-2026-11');
      keySet.keys = [old.publicJwk];
      // No cooldown (production waits up to 30 s after a fetch before fetching again for an unknown kid).
      const sso = createSsoTokens({ settings: { jwksUrl: keySet.url, jwksCooldownMs: 0 }, store: store.ssoTokens, now: () => clock.now })!;
      await sso.verify(await signed(claims(), old));
      const fetchesBefore = keySet.fetches;
      const next = await keyPair('ES256', 'key-2026-12');
      keySet.keys = [next.publicJwk];
      assert.equal((await sso.verify(await signed(claims({ sub: 'after-rotation' }), next))).subject, 'after-rotation');
      assert.equal(keySet.fetches, fetchesBefore + 1, 'the new kid made one fetch');
      assert.equal(await reasonOf(sso.verify(await signed(claims(), old))), 'unknown_key');
    });

    test('a key set that cannot be read is 503 unavailable, not the token\'s fault (nor a 500)', async () => {
      const key = await keyPair('RS256', 'k');
      keySet.keys = [key.publicJwk];
      keySet.down = true;
      try {
        assert.equal(await reasonOf(make({ jwksUrl: keySet.url }).verify(await signed(claims(), key))), 'unavailable');
      } finally {
        keySet.down = false;
      }
    });

    test('used tokens are kept until they expire, then swept', async () => {
      const hash = (n: number) => `${kind}-${n}`.padEnd(64, '0');
      assert.equal(await store.ssoTokens.claim({ jtiHash: hash(1), expiresAt: '2026-12-01T10:05:00.000Z' }), true);
      assert.equal(await store.ssoTokens.claim({ jtiHash: hash(1), expiresAt: '2026-12-01T10:05:00.000Z' }), false);
      assert.equal(await store.ssoTokens.claim({ jtiHash: hash(2), expiresAt: '2026-12-01T10:20:00.000Z' }), true);
      assert.ok((await store.ssoTokens.sweep({ before: '2026-12-01T10:10:00.000Z' })) >= 1);
      assert.equal(await store.ssoTokens.claim({ jtiHash: hash(1), expiresAt: '2026-12-01T10:05:00.000Z' }), true, 'swept: free again');
      assert.equal(await store.ssoTokens.claim({ jtiHash: hash(2), expiresAt: '2026-12-01T10:20:00.000Z' }), false, 'not expired: kept');
    });
  });
}
