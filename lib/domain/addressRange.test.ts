import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressBits, parseRange, rangeAround } from './addressRange';

test('an IPv4 guest is banned by its /24, an IPv6 one by its /64, unless a prefix is given', () => {
  assert.equal(rangeAround('198.51.100.7')?.range, '198.51.100.0/24');
  assert.equal(rangeAround('198.51.100.7', 16)?.range, '198.51.0.0/16');
  assert.equal(rangeAround('2001:db8:1:2::/64')?.range, '2001:db8:1:2::/64');
  assert.equal(rangeAround('2001:db8:1:2::/64', 48)?.range, '2001:db8:1::/48');
  assert.equal(rangeAround('2001:db8:1:2::/64', 96), null, 'an IPv6 address is known by its /64 only');
  assert.equal(rangeAround('198.51.100.7', 4), null, 'a /4 is a mistake, not a ban');
  assert.equal(rangeAround('unknown'), null);
});

test('a written range is read to its network, and an address is in it when the range bits begin its own', () => {
  const range = parseRange('198.51.100.77/24')!;
  assert.equal(range.range, '198.51.100.0/24');
  assert.ok(addressBits('198.51.100.200')!.startsWith(range.bits));
  assert.ok(!addressBits('198.51.101.1')!.startsWith(range.bits));
  const v6 = parseRange('2001:db8::/32')!;
  assert.equal(v6.range, '2001:db8::/32');
  assert.ok(addressBits('2001:db8:ffff:1::/64')!.startsWith(v6.bits));
  assert.ok(!addressBits('198.51.100.200')!.startsWith(v6.bits), 'families never match each other');
  for (const bad of ['198.51.100.0', '198.51.100.0/33', 'x/24', '2001:db8::/65', '198.51.100.0/24/1', '']) assert.equal(parseRange(bad), null, bad);
});
