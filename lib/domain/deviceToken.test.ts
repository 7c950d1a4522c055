import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signDeviceToken, verifyDeviceToken } from './deviceToken';
import { signGuestToken } from './guestToken';

const SECRET = 'device-test-secret-device-test-secret';

test('a device token names its browser for the account it signed in as, and for no other', () => {
  const token = signDeviceToken('alice', SECRET);
  const deviceId = verifyDeviceToken(token, 'alice', SECRET);
  assert.ok(deviceId && deviceId.length === 16);
  assert.equal(verifyDeviceToken(token, 'bob', SECRET), null, 'another account');
  assert.equal(verifyDeviceToken(token, 'alice', `${SECRET}!`), null, 'another secret');
  assert.equal(signDeviceToken('alice', SECRET, deviceId), token, 'signing it again keeps the browser’s id');
});

test('a forged, cut or foreign token names nothing', () => {
  const token = signDeviceToken('alice', SECRET);
  const [id, mac] = token.split('.') as [string, string];
  for (const forged of [undefined, null, '', id, `${id}.`, `.${mac}`, `${id}.${mac.slice(1)}`, `${id.slice(1)}x.${mac}`, `${id}.${mac}x`, `${id}..${mac}`]) {
    assert.equal(verifyDeviceToken(forged, 'alice', SECRET), null, String(forged));
  }
  // The guest cookie is an HMAC under the same secret, with a label of its own.
  assert.equal(verifyDeviceToken(signGuestToken('abcdefghijklmnop', SECRET), 'alice', SECRET), null);
});
