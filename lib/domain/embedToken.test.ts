import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { EXPIRY_LEEWAY_S, MAX_EMBED_TOKEN, signEmbedToken, verifyEmbedToken, type EmbedTokenCheck } from './embedToken';

const SECRET = 'embed-secret-embed-secret-embed-secret';
const NOW = Date.parse('2026-11-03T12:00:00Z');
const CLAIMS = { slug: 'council-bridge-vote', title: 'Council approves the new bridge', url: 'https://news.example.com/2026/11/council-bridge-vote' };

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** A token made by hand, as a host in another language would: header, claims, HMAC of the two. */
function handMade(header: unknown, claims: unknown, secret = SECRET): string {
  const signed = `${b64(header)}.${b64(claims)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

function check(token: string, slug = CLAIMS.slug, nowMs = NOW): EmbedTokenCheck {
  return verifyEmbedToken({ token, secret: SECRET, slug, nowMs });
}

function refusal(result: EmbedTokenCheck): { reason: string; detail: string } {
  assert.equal(result.ok, false, 'expected a refusal');
  return result as { reason: string; detail: string };
}

describe('the embed token', () => {
  test('a good token gives its claims; one made by hand in the documented format is the same', () => {
    assert.deepEqual(check(signEmbedToken(CLAIMS, SECRET)), { ok: true, claims: CLAIMS });
    assert.deepEqual(check(handMade({ alg: 'HS256', typ: 'JWT' }, CLAIMS)), { ok: true, claims: CLAIMS });
    assert.deepEqual(check(handMade({ alg: 'HS256' }, { ...CLAIMS, iat: 1 })), { ok: true, claims: CLAIMS }, 'typ may be left out; other claims are ignored');
    const lasting = { ...CLAIMS, exp: NOW / 1000 + 3600 };
    assert.deepEqual(check(signEmbedToken(lasting, SECRET)), { ok: true, claims: lasting });
  });

  test('its title is cleaned and its url loses the fragment', () => {
    const result = check(signEmbedToken({ ...CLAIMS, title: ' Council\u0000 approves\n the \u202Ebridge ', url: `${CLAIMS.url}#comments` }, SECRET));
    assert.ok(result.ok);
    assert.equal(result.claims.title, 'Council approves the bridge');
    assert.equal(result.claims.url, CLAIMS.url);
  });

  test('a bad signature: another secret, changed claims, or a cut or swapped signature', () => {
    assert.equal(refusal(check(signEmbedToken(CLAIMS, 'another-secret-another-secret-another'))).reason, 'bad_signature');
    const [header, , signature] = signEmbedToken(CLAIMS, SECRET).split('.');
    const retitled = `${header}.${b64({ ...CLAIMS, title: 'Cheap pills' })}.${signature}`;
    assert.deepEqual(refusal(check(retitled)), { ok: false, reason: 'bad_signature', detail: 'the signature does not match EMBED_SECRET' });
    assert.equal(refusal(check(signEmbedToken(CLAIMS, SECRET).slice(0, -2))).reason, 'bad_signature');
    const other = signEmbedToken({ ...CLAIMS, slug: 'other' }, SECRET).split('.')[2];
    assert.equal(refusal(check(`${header}.${b64(CLAIMS)}.${other}`)).reason, 'bad_signature');
  });

  test('a token for another slug opens nothing there', () => {
    const result = refusal(check(signEmbedToken(CLAIMS, SECRET), 'another-story'));
    assert.equal(result.reason, 'other_slug');
    assert.match(result.detail, /made for the thread council-bridge-vote, not another-story/);
  });

  test(`an expired token (past exp by more than ${EXPIRY_LEEWAY_S} s) opens nothing`, () => {
    const exp = NOW / 1000 - 3600;
    const result = refusal(check(signEmbedToken({ ...CLAIMS, exp }, SECRET)));
    assert.equal(result.reason, 'expired');
    assert.match(result.detail, /expired at 2026-11-03T11:00:00.000Z/);
    assert.ok(check(signEmbedToken({ ...CLAIMS, exp: NOW / 1000 - EXPIRY_LEEWAY_S + 1 }, SECRET)).ok, 'within the leeway');
  });

  test('malformed tokens are refused with what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['', /three base64url parts/],
      ['abc', /three base64url parts/],
      ['a.b.c.d', /three base64url parts/],
      ['a+b.c/d.e=', /three base64url parts/],
      [`${b64('not json')}.${b64(CLAIMS)}.sig`, /header is not a JSON object/],
      [handMade({ alg: 'none' }, CLAIMS), /alg is "none", not "HS256"/],
      [`${b64({ alg: 'none' })}.${b64(CLAIMS)}.`, /three base64url parts/],
      [handMade({ alg: 'RS256' }, CLAIMS), /alg is "RS256"/],
      [handMade({ alg: 'HS256', typ: 'JWE' }, CLAIMS), /typ is "JWE"/],
      [handMade({ alg: 'HS256', crit: ['exp'] }, CLAIMS), /crit/],
      [handMade({ alg: 'HS256' }, ['an', 'array']), /claims are not a JSON object/],
      [handMade({ alg: 'HS256' }, { ...CLAIMS, slug: 'Not A Slug' }), /slug must be/],
      [handMade({ alg: 'HS256' }, { title: CLAIMS.title, url: CLAIMS.url }), /slug must be/],
      [handMade({ alg: 'HS256' }, { ...CLAIMS, title: ' \u0007 ' }), /title must be/],
      [handMade({ alg: 'HS256' }, { ...CLAIMS, title: 42 }), /title must be/],
      [handMade({ alg: 'HS256' }, { ...CLAIMS, url: 'javascript:alert(1)' }), /url must be an absolute http or https address/],
      [handMade({ alg: 'HS256' }, { ...CLAIMS, url: '/relative' }), /url must be/],
      [handMade({ alg: 'HS256' }, { ...CLAIMS, url: `https://news.example.com/${'x'.repeat(2100)}` }), /at most 2048/],
      [handMade({ alg: 'HS256' }, { ...CLAIMS, exp: '2026-12-01' }), /exp must be a number/],
      ['a'.repeat(MAX_EMBED_TOKEN + 1), /longer than/],
    ];
    for (const [token, detail] of cases) {
      const result = refusal(check(token));
      assert.equal(result.reason, 'malformed', token.slice(0, 80));
      assert.match(result.detail, detail, token.slice(0, 80));
    }
  });

  test('the signature is checked before the claims are read: a forged token says bad_signature whatever it claims', () => {
    const forged = handMade({ alg: 'HS256' }, { slug: 'Bad Slug' }, 'not-the-secret-not-the-secret-not-the');
    assert.equal(refusal(check(forged)).reason, 'bad_signature');
  });
});
