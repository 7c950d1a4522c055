import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, ssoSettings } from '../config';

/** Next.js types NODE_ENV as always present. */
const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv);

function problems(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return assert.fail(`expected ${Object.keys(env).join(', ')} to be refused`);
}

describe('loadConfig: the host site\'s sign-in (SSO_*)', () => {
  test('unset: the sign-in is off', () => {
    assert.deepEqual(ssoSettings(load({})), { secret: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined });
  });

  test('SSO_SECRET must be at least 32 bytes and is never echoed', () => {
    const found = problems({ SSO_SECRET: 'short-s3cret-value' });
    assert.deepEqual(found, ['SSO_SECRET: must be at least 32 bytes (e.g. openssl rand -base64 48) (value not shown)']);
    // 11 three-byte characters: 33 bytes.
    assert.equal(load({ SSO_SECRET: '€'.repeat(11) }).ssoSecret, '€'.repeat(11));
  });

  test('SSO_JWKS_URL is an http(s) address, named when it is not', () => {
    assert.equal(load({ SSO_JWKS_URL: 'https://news.example.com/jwks.json' }).ssoJwksUrl, 'https://news.example.com/jwks.json');
    assert.match(problems({ SSO_JWKS_URL: 'news.example.com/jwks.json' })[0]!, /^SSO_JWKS_URL: expected a https: or http:\/\/ URL/);
  });

  test('SSO_ISSUER and SSO_AUDIENCE without a secret or a key set would check nothing: refused by name', () => {
    assert.deepEqual(problems({ SSO_ISSUER: 'https://news.example.com', SSO_AUDIENCE: 'threadline' }).map((p) => p.slice(0, p.indexOf(':'))), ['SSO_ISSUER', 'SSO_AUDIENCE']);
    const config = load({ SSO_JWKS_URL: 'https://news.example.com/jwks.json', SSO_ISSUER: 'https://news.example.com', SSO_AUDIENCE: 'threadline' });
    assert.deepEqual(ssoSettings(config), { secret: undefined, jwksUrl: 'https://news.example.com/jwks.json', issuer: 'https://news.example.com', audience: 'threadline' });
  });
});
