import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION } from '../contract/socket';
import { speaksOurProtocol, welcomedIdentity } from './protocol';

test('a welcome with this page\'s protocol is understood; any other version, or no readable version, is not', () => {
  assert.equal(speaksOurProtocol({ name: 'threadline', protocol: PROTOCOL_VERSION, time: '2026-12-05T10:00:00.000Z' }), true);
  assert.equal(speaksOurProtocol({ name: 'threadline', protocol: PROTOCOL_VERSION + 1, time: '' }), false);
  assert.equal(speaksOurProtocol({ name: 'threadline', protocol: PROTOCOL_VERSION - 1, time: '' }), false);
  assert.equal(speaksOurProtocol({ protocol: String(PROTOCOL_VERSION) }), false);
  assert.equal(speaksOurProtocol({}), false);
  assert.equal(speaksOurProtocol(null), false);
  assert.equal(speaksOurProtocol({ protocol: 7 }, 7), true);
});

test("a welcome says whether the reader's identity lasts beyond the connection; one that does not say means it does", () => {
  assert.equal(welcomedIdentity({ name: 'threadline', protocol: PROTOCOL_VERSION, time: '', identity: 'connection' }), 'connection');
  assert.equal(welcomedIdentity({ name: 'threadline', protocol: PROTOCOL_VERSION, time: '', identity: 'lasting' }), 'lasting');
  assert.equal(welcomedIdentity({ name: 'threadline', protocol: PROTOCOL_VERSION, time: '' }), 'lasting');
  assert.equal(welcomedIdentity({ identity: 'something else' }), 'lasting');
  assert.equal(welcomedIdentity(null), 'lasting');
});
