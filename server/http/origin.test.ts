import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { clientInfo } from './clientInfo';
import { clientAddress, clientIp, createOriginPolicy, isStateChanging, lastForwardedAddress, normalizeOrigin, requestSite, servedOverHttps } from './origin';

/** Just what the policy reads of a request: its headers, whether the socket is TLS, and the peer's address. */
function request(headers: Record<string, string>, tls = false, remoteAddress = '10.0.0.2'): IncomingMessage {
  return { headers, socket: tls ? { encrypted: true, remoteAddress } : { remoteAddress } } as unknown as IncomingMessage;
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

  test('the client address: the peer; with trustProxy the address the proxy added to X-Forwarded-For, an IPv6 one by its /64', () => {
    const proxied = createOriginPolicy({ trustProxy: true });
    const forwarded = (value: string, peer = '10.0.0.2') => request({ 'x-forwarded-for': value }, false, peer);
    assert.equal(policy.clientAddress(forwarded('198.51.100.7')), '10.0.0.2', 'without trustProxy the header is ignored');
    assert.equal(policy.clientAddress(request({}, false, '::ffff:192.0.2.1')), '192.0.2.1', 'a dual-stack socket shows IPv4 clients mapped');
    assert.equal(policy.clientAddress(request({}, false, '2001:db8:7:8::1')), '2001:db8:7:8::/64');
    assert.equal(proxied.clientAddress(forwarded('198.51.100.7')), '198.51.100.7');
    assert.equal(proxied.clientAddress(forwarded('203.0.113.9, 198.51.100.7')), '198.51.100.7', 'what the client wrote first is not believed');
    assert.equal(proxied.clientAddress(forwarded('2001:db8:1:2::a')), '2001:db8:1:2::/64');
    assert.equal(proxied.clientAddress(request({}, false, '10.0.0.3')), '10.0.0.3', 'no header: the peer');
    assert.equal(proxied.clientAddress(forwarded('unknown')), '10.0.0.2', 'no usable address: the peer');
  });

  test('X-Forwarded-For: the last address, without a port', () => {
    assert.equal(lastForwardedAddress('192.0.2.1'), '192.0.2.1');
    assert.equal(lastForwardedAddress('192.0.2.1, 198.51.100.7'), '198.51.100.7');
    assert.equal(lastForwardedAddress(['192.0.2.1', '198.51.100.7, 203.0.113.1']), '203.0.113.1', 'several headers are one list');
    assert.equal(lastForwardedAddress('198.51.100.7:4711'), '198.51.100.7');
    assert.equal(lastForwardedAddress('[2001:db8::1]:443'), '2001:db8::1');
    assert.equal(lastForwardedAddress('2001:db8::1'), '2001:db8::1');
    for (const bad of [undefined, '', ' , ', 'unknown', '198.51.100.7, nonsense', '_hidden']) assert.equal(lastForwardedAddress(bad), undefined, String(bad));
  });

  test('the client address the policy judged is remembered for the budgets', () => {
    const req = request({ 'x-forwarded-for': '198.51.100.7' }, false, '10.0.0.2');
    assert.equal(clientAddress(req), '10.0.0.2', 'before the edge saw it: the peer');
    createOriginPolicy({ trustProxy: true }).clientAddress(req);
    assert.equal(clientAddress(req), '198.51.100.7');
  });

  test('what the spam service is told: the address itself (an IPv6 one whole), the site as reached, the user agent and referrer', () => {
    const proxied = createOriginPolicy({ trustProxy: true });
    const req = request(
      { host: 'node-3:3000', 'x-forwarded-host': 'news.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9, 2001:db8:1:2::a', 'user-agent': 'Mozilla/5.0', referer: 'https://news.example.com/articles/x' },
      false,
      '10.0.0.2',
    );
    assert.equal(clientIp(req), '10.0.0.2', 'before the edge saw it: the peer');
    assert.equal(proxied.clientAddress(req), '2001:db8:1:2::/64', 'the budgets count the /64');
    assert.deepEqual(clientInfo(req), { ip: '2001:db8:1:2::a', userAgent: 'Mozilla/5.0', referrer: 'https://news.example.com/articles/x', site: 'https://news.example.com' });
    const direct = request({ host: 'board.example:8080', 'x-forwarded-for': '198.51.100.7' }, false, '::ffff:192.0.2.1');
    policy.clientAddress(direct);
    assert.deepEqual([clientIp(direct), requestSite(direct)], ['192.0.2.1', 'http://board.example:8080'], 'no proxy believed: the peer, mapped IPv4 as IPv4; the Host');
    assert.equal(clientInfo(request({ 'user-agent': 'x'.repeat(5000) })).userAgent.length, 1024, 'a header is cut, not sent whole');
  });

  test('helpers', () => {
    assert.equal(normalizeOrigin('HTTPS://A.test:443'), 'https://a.test');
    assert.equal(normalizeOrigin('null'), null);
    assert.deepEqual(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'].map(isStateChanging), [false, false, false, true, true, true, true]);
  });
});
