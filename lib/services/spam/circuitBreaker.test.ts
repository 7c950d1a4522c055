import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BreakerOpen, createCircuitBreaker, type BreakerState } from './circuitBreaker';

function setUp() {
  let clock = 1_000;
  const changes: BreakerState[] = [];
  const breaker = createCircuitBreaker({ failures: 3, cooldownMs: 10_000, now: () => clock, onChange: (s) => changes.push(s) });
  let calls = 0;
  const ok = () => breaker.run(async () => ++calls);
  const fail = () => breaker.run(async () => {
    calls++;
    throw new Error('down');
  });
  return { breaker, changes, ok, fail, calls: () => calls, advance: (ms: number) => (clock += ms) };
}

describe('a circuit breaker', () => {
  test('opens after `failures` failures in a row, then refuses without calling until the cooldown is over', async () => {
    const b = setUp();
    for (let i = 0; i < 3; i++) await assert.rejects(b.fail(), /down/);
    assert.equal(b.breaker.state(), 'open');
    assert.deepEqual(b.changes, ['open']);
    await assert.rejects(b.ok(), BreakerOpen);
    b.advance(9_999);
    await assert.rejects(b.ok(), BreakerOpen);
    assert.equal(b.calls(), 3, 'nothing was called while open');
  });

  test('a success between failures starts the count again', async () => {
    const b = setUp();
    await assert.rejects(b.fail());
    await assert.rejects(b.fail());
    await b.ok();
    await assert.rejects(b.fail());
    await assert.rejects(b.fail());
    assert.equal(b.breaker.state(), 'closed');
  });

  test('after the cooldown one probe goes through while the others are refused; its success closes the breaker', async () => {
    const b = setUp();
    for (let i = 0; i < 3; i++) await assert.rejects(b.fail());
    b.advance(10_000);
    assert.equal(b.breaker.state(), 'half-open');
    let release!: () => void;
    const probe = b.breaker.run(() => new Promise<string>((resolve) => (release = () => resolve('fine'))));
    await assert.rejects(b.ok(), BreakerOpen, 'one probe at a time');
    release();
    assert.equal(await probe, 'fine');
    assert.equal(b.breaker.state(), 'closed');
    assert.equal(await b.ok(), 4);
    assert.deepEqual(b.changes, ['open', 'half-open', 'closed']);
  });

  test('a failed probe opens it for another cooldown', async () => {
    const b = setUp();
    for (let i = 0; i < 3; i++) await assert.rejects(b.fail());
    b.advance(10_000);
    await assert.rejects(b.fail(), /down/);
    assert.equal(b.breaker.state(), 'open');
    b.advance(5_000);
    await assert.rejects(b.ok(), BreakerOpen);
    b.advance(5_000);
    await b.ok();
    assert.deepEqual(b.changes, ['open', 'half-open', 'open', 'half-open', 'closed']);
  });
});
