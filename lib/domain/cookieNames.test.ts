import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookieName, readOwnCookie } from './cookieNames';

test('the __Host- name over HTTPS, the plain one where a cookie cannot be Secure', () => {
  assert.equal(cookieName('tl_guest', true), '__Host-tl_guest');
  assert.equal(cookieName('tl_guest', false), 'tl_guest');
});

test('the __Host- cookie wins over a plain one, wherever each stands in the header', () => {
  for (const header of ['tl_guest=planted; __Host-tl_guest=mine', '__Host-tl_guest=mine; tl_guest=planted', 'a=b; tl_guest=planted;__Host-tl_guest=mine']) {
    assert.deepEqual(readOwnCookie(header, 'tl_guest'), { value: 'mine', plain: false }, header);
  }
  // Even an empty (or bad) __Host- cookie is not replaced by a plain one: a sibling could otherwise pick who wins.
  assert.deepEqual(readOwnCookie('tl_guest=planted; __Host-tl_guest=', 'tl_guest'), { value: '', plain: false });
});

test('without a __Host- cookie the plain name is read, and said to be plain', () => {
  assert.deepEqual(readOwnCookie('tl_guest=old', 'tl_guest'), { value: 'old', plain: true });
  assert.deepEqual(readOwnCookie('x__Host-tl_guest=no; tl_guest=old', 'tl_guest'), { value: 'old', plain: true });
  assert.deepEqual(readOwnCookie(undefined, 'tl_guest'), { value: undefined, plain: false });
  assert.deepEqual(readOwnCookie('other=1', 'tl_guest'), { value: undefined, plain: false });
});
