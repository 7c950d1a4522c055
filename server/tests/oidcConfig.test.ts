import { describe, test } from 'node:test';
import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../config';
import { openOidcFlow, sealOidcFlow, type OidcFlow } from '../../lib/services/oidc/oidcFlow';

const GOOGLE = { id: 'google', label: 'Google', issuer: 'https://accounts.google.com', clientId: 'cid.apps.googleusercontent.com', clientSecret: 'G0OGLE-S3CRET' };

function problems(value: unknown): string[] {
  try {
    loadConfig({ OIDC_PROVIDERS: typeof value === 'string' ? value : JSON.stringify(value) } as unknown as NodeJS.ProcessEnv);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return assert.fail('expected OIDC_PROVIDERS to be refused');
}

describe('OIDC_PROVIDERS', () => {
  test('unset or empty: no providers (the method is off)', () => {
    assert.deepEqual(loadConfig({} as unknown as NodeJS.ProcessEnv).oidcProviders, []);
    assert.deepEqual(loadConfig({ OIDC_PROVIDERS: '' } as unknown as NodeJS.ProcessEnv).oidcProviders, []);
  });

  test('a JSON array of providers; scopes default to openid email profile, and always include openid', () => {
    const config = loadConfig({
      OIDC_PROVIDERS: JSON.stringify([GOOGLE, { id: 'kc', label: 'Newsroom login', issuer: 'http://localhost:8080/realms/news', clientId: 'threadline', clientSecret: 'x', scopes: ['email'] }]),
    } as unknown as NodeJS.ProcessEnv);
    assert.deepEqual(config.oidcProviders, [
      { ...GOOGLE, scopes: ['openid', 'email', 'profile'] },
      { id: 'kc', label: 'Newsroom login', issuer: 'http://localhost:8080/realms/news', clientId: 'threadline', clientSecret: 'x', scopes: ['openid', 'email'] },
    ]);
  });

  test('an issuer keeps its exact form (Auth0\'s ends in a slash, and discovery compares it)', () => {
    const auth0 = { ...GOOGLE, id: 'auth0', issuer: 'https://news.eu.auth0.com/' };
    assert.equal(loadConfig({ OIDC_PROVIDERS: JSON.stringify([auth0]) } as unknown as NodeJS.ProcessEnv).oidcProviders[0]?.issuer, 'https://news.eu.auth0.com/');
  });

  test('not JSON, not an array, or an entry that is not an object: refused by name, the value never echoed', () => {
    for (const bad of ['{"id":', '{"id":"google"}', '[1]']) {
      const refused = problems(bad);
      assert.ok(refused.length > 0 && refused.every((p) => p.startsWith('OIDC_PROVIDERS: ')), refused.join('\n'));
      assert.ok(refused.every((p) => p.includes('value not shown')), 'it holds client secrets');
    }
  });

  test('each bad field is named with its provider\'s position, never with its value', () => {
    const refused = problems([
      { ...GOOGLE, id: 'Google Login' },
      { ...GOOGLE, id: 'ok', issuer: 'http://idp.example.com' },
      { ...GOOGLE, id: 'ok2', clientSecret: '' },
      { ...GOOGLE, id: 'ok3', label: ' ' },
      { ...GOOGLE, id: 'ok4', secret: 'typo' },
      { ...GOOGLE, id: 'ok5', scopes: ['openid email'] },
      { ...GOOGLE, id: 'ok6', issuer: 'https://idp.example.com/?tenant=1' },
    ]).join('\n');
    assert.match(refused, /provider 1 field id: expected 1–32 lowercase/);
    assert.match(refused, /provider 2 field issuer: expected the issuer's https:\/\/ URL/);
    assert.match(refused, /provider 3 field clientSecret/);
    assert.match(refused, /provider 4 field label/);
    assert.match(refused, /provider 5: unknown field\(s\) secret/);
    assert.match(refused, /provider 6 field scopes\.0/);
    assert.match(refused, /provider 7 field issuer/);
    assert.ok(!refused.includes('G0OGLE-S3CRET') && !refused.includes('typo'));
  });

  test('a missing field, and an id used twice, are refused', () => {
    const { clientId: _omitted, ...noClient } = GOOGLE;
    assert.match(problems([noClient]).join('\n'), /provider 1 field clientId/);
    assert.match(problems([GOOGLE, GOOGLE]).join('\n'), /provider 2: the id "google" is used twice/);
  });
});

describe('the OIDC flow cookie', () => {
  const SECRET = 'flow-secret-flow-secret-flow-secret!';
  const flow: OidcFlow = { provider: 'google', state: 's', nonce: 'n', codeVerifier: 'v', next: '/articles/a', popup: true, expiresAt: 2_000 };

  test('opens what it sealed, until it expires', () => {
    const sealed = sealOidcFlow(flow, SECRET);
    assert.deepEqual(openOidcFlow(sealed, SECRET, 1_000), flow);
    assert.equal(openOidcFlow(sealed, SECRET, 2_000), null);
  });

  test('a changed, foreign-signed or malformed value opens nothing', () => {
    const sealed = sealOidcFlow(flow, SECRET);
    const [payload, mac] = sealed.split('.') as [string, string];
    const changed = Buffer.from(JSON.stringify({ ...flow, next: '//evil.example' })).toString('base64url');
    for (const bad of [`${changed}.${mac}`, sealOidcFlow(flow, `${SECRET}x`), payload, `.${mac}`, '', undefined, `${payload}.${mac}x`, 'x'.repeat(5000)]) {
      assert.equal(openOidcFlow(bad, SECRET, 1_000), null, String(bad).slice(0, 40));
    }
    const notAFlow = Buffer.from(JSON.stringify({ provider: 'google' })).toString('base64url');
    const signed = `${notAFlow}.${createHmac('sha256', SECRET).update(`oidc-flow:${notAFlow}`).digest('base64url')}`;
    assert.equal(openOidcFlow(signed, SECRET, 1_000), null, 'a genuine signature over something that is not a flow');
  });
});
