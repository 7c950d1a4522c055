import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { createOriginPolicy, isStateChanging, normalizeOrigin, servedOverHttps } from './origin';

/** Just what the policy reads of a request: its headers and whether the socket is TLS. */
function request(headers: Record<string, string>, tls = false): IncomingMessage {
  return { headers, socket: tls ? { encrypted: true } : {} } as unknown as IncomingMessage;
}

describe('the origin policy', () => {
  const policy = createOriginPolicy({ allowedOrigins: ['https://news.example.com'] });

  test('the own origin is the scheme and Host, normalized as browsers send Origin', () => {
    assert.equal(policy.refusal(request({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' })), null);
    assert.equal(policy.refusal(request({ host: 'Example.COM', origin: 'http://example.com:80' })), null);
    assert.equal(policy.refusal(request({ host: 'example.com', origin: 'https://example.com' }, true)), null);
    assert.match(policy.refusal(request({ host: 'example.com', origin: 'https://example.com' })) ?? '', /neither this server/, 'https page, http server');
    assert.match(policy.refusal(request({ host: 'example.com:3000', origin: 'http://example.com:3001' })) ?? '', /neither/, 'another port');
    assert.match(policy.refusal(request({ origin: 'http://example.com' })) ?? '', /no Host/);
  });

  test('ALLOWED_ORIGINS are let in; opaque and malformed origins are not', () => {
    assert.equal(policy.refusal(request({ host: 'a.test', origin: 'https://news.example.com' })), null);
    for (const origin of ['null', '', 'news.example.com', 'file:///etc/passwd', 'https://news.example.com.evil.test']) {
      assert.notEqual(policy.refusal(request({ host: 'a.test', origin })), null, origin);
    }
  });

  test('without Origin, only Sec-Fetch-Site from another site refuses', () => {
    assert.equal(policy.refusal(request({ host: 'a.test' })), null);
    assert.equal(policy.refusal(request({ host: 'a.test', 'sec-fetch-site': 'same-origin' })), null);
    assert.equal(policy.refusal(request({ host: 'a.test', 'sec-fetch-site': 'none' })), null);
    assert.notEqual(policy.refusal(request({ host: 'a.test', 'sec-fetch-site': 'cross-site' })), null);
    assert.notEqual(policy.refusal(request({ host: 'a.test', 'sec-fetch-site': 'same-site' })), null);
  });

  test('X-Forwarded-* count only with trustProxy, first value first', () => {
    const proxied = createOriginPolicy({ trustProxy: true });
    const headers = { host: '10.0.0.5:3000', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'comments.example.org, inner' };
    assert.equal(proxied.ownOrigin(request(headers)), 'https://comments.example.org');
    assert.equal(proxied.isHttps(request(headers)), true);
    assert.equal(policy.ownOrigin(request(headers)), 'http://10.0.0.5:3000');
    assert.equal(policy.isHttps(request(headers)), false);
    assert.equal(proxied.ownOrigin(request({ host: 'plain.test' })), 'http://plain.test', 'no X-Forwarded-Host: Host');
  });

  test('what the policy judged is remembered for the cookies', () => {
    const req = request({ host: 'a.test', 'x-forwarded-proto': 'https' });
    assert.equal(servedOverHttps(req), false, 'before the edge saw it: the socket');
    createOriginPolicy({ trustProxy: true }).isHttps(req);
    assert.equal(servedOverHttps(req), true);
  });

  test('helpers', () => {
    assert.equal(normalizeOrigin('HTTPS://A.test:443'), 'https://a.test');
    assert.equal(normalizeOrigin('null'), null);
    assert.deepEqual(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'].map(isStateChanging), [false, false, false, true, true, true, true]);
  });
});
