import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { localeOf, nonceOf, readerRequest } from './readerRequest';

const request = (headers: Record<string, string | string[]>) => readerRequest({ headers } as unknown as IncomingMessage, {});

test("the page's script carries the nonce of the policy the server put on the request", () => {
  const csp = "default-src 'self'; script-src 'self' 'nonce-Ab+/9z==' 'strict-dynamic'; style-src 'self'";
  assert.equal(nonceOf(request({ 'content-security-policy': csp })), 'Ab+/9z==');
  // No policy, or one without a nonce: no nonce, and so nothing of the page runs.
  assert.equal(nonceOf(request({})), '');
  assert.equal(nonceOf(request({ 'content-security-policy': "script-src 'self'" })), '');
});

test('headers read as the app router reads them: by name in any case, repeated ones joined', () => {
  const req = request({ 'accept-language': 'de-AT,de;q=0.9', cookie: 'a=1', 'x-many': ['1', '2'] });
  assert.equal(req.headers.get('Accept-Language'), 'de-AT,de;q=0.9');
  assert.equal(req.headers.get('x-many'), '1, 2');
  assert.equal(req.headers.get('missing'), null);
  assert.equal(localeOf(req), 'de');
  assert.equal(localeOf(request({})), 'en');
});
