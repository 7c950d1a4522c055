import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { backoffMs } from './backoff';
import { signatureHeader, verifySignature } from './signature';

const secret = 'k'.repeat(32);
const body = '{"id":"e1","type":"comment.held"}';

describe('webhook signatures', () => {
  test('t=<unix>,v1=<HMAC-SHA256 of "<t>.<body>">, as docs/api.md tells receivers to check', () => {
    const header = signatureHeader({ secret, timestamp: 1_800_000_000, body });
    const expected = createHmac('sha256', secret).update(`1800000000.${body}`).digest('hex');
    assert.equal(header, `t=1800000000,v1=${expected}`);
    assert.ok(verifySignature({ secret, header, body, nowSeconds: 1_800_000_000 + 300 }));
  });

  test('refuses another secret, another body, an old or future time, and malformed headers', () => {
    const header = signatureHeader({ secret, timestamp: 1_800_000_000, body });
    const now = 1_800_000_000;
    assert.ok(!verifySignature({ secret: `${secret}!`, header, body, nowSeconds: now }));
    assert.ok(!verifySignature({ secret, header, body: body.replace('held', 'HELD'), nowSeconds: now }));
    assert.ok(!verifySignature({ secret, header, body, nowSeconds: now + 301 }));
    assert.ok(!verifySignature({ secret, header, body, nowSeconds: now - 301 }));
    for (const bad of [undefined, '', 't=1800000000', 'v1=abc', `t=x,v1=${'0'.repeat(64)}`, `t=1800000000,v1=${'z'.repeat(64)}`, `t=1800000000,v1=${'0'.repeat(63)}`]) {
      assert.ok(!verifySignature({ secret, header: bad, body, nowSeconds: now }), String(bad));
    }
  });
});

describe('webhook backoff', () => {
  const at = (attempt: number, random: number) => backoffMs({ attempt, baseMs: 1000, maxMs: 8000, random: () => random });

  test('doubles from the base, capped, with equal jitter (between half and all of the wait)', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => at(n, 1)), [1000, 2000, 4000, 8000, 8000, 8000]);
    assert.deepEqual([1, 2, 3, 4].map((n) => at(n, 0)), [500, 1000, 2000, 4000]);
    assert.equal(at(2, 0.5), 1500);
  });
});
