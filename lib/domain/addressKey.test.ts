import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressKey } from './addressKey';

describe('addressKey: what one client is counted as', () => {
  test('an IPv4 address is itself', () => {
    assert.equal(addressKey('198.51.100.7'), '198.51.100.7');
    assert.equal(addressKey('127.0.0.1'), '127.0.0.1');
    assert.notEqual(addressKey('198.51.100.7'), addressKey('198.51.100.8'));
  });

  test('an IPv6 address is its /64, however it is written', () => {
    const key = '2001:db8:1:2::/64';
    for (const address of ['2001:db8:1:2::1', '2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2:a:b:c:d', '2001:db8:1:2::', ' 2001:db8:1:2::9 ']) {
      assert.equal(addressKey(address), key, address);
    }
    assert.equal(addressKey('2001:db8:1:3::1'), '2001:db8:1:3::/64', 'the next /64 is another client');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64', 'the zone names our interface, not the client');
    assert.equal(addressKey('2001:db8:1:2::198.51.100.7'), key, 'a dotted tail is part of the lower 64 bits');
  });

  test('an IPv4-mapped IPv6 address (a dual-stack socket) is the IPv4 address', () => {
    assert.equal(addressKey('::ffff:198.51.100.7'), '198.51.100.7');
    assert.equal(addressKey('::FFFF:198.51.100.7'), '198.51.100.7');
    assert.equal(addressKey('::ffff:c633:6407'), '198.51.100.7', 'the same, written in hex');
    assert.equal(addressKey('0:0:0:0:0:ffff:c633:6407'), '198.51.100.7');
    assert.equal(addressKey('::ffff:0:c633:6407'), '0:0:0:0::/64', 'IPv4-translated (::ffff:0:0/96) is not mapped');
  });

  test('what is not an IP address is kept as it is', () => {
    assert.equal(addressKey('unknown'), 'unknown');
    assert.equal(addressKey('1.2.3.4.5'), '1.2.3.4.5');
    assert.equal(addressKey(''), '');
  });
});
