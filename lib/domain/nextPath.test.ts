import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_NEXT_PATH, safeNextPath } from './nextPath';

/** Where a browser would go from a page of `https://comments.example` if told `location.assign(target)`. */
function landing(target: string): string {
  return new URL(target, 'https://comments.example/login?next=x').origin;
}

describe('safeNextPath', () => {
  test('a path on this site is kept as it is', () => {
    for (const path of ['/moderate', '/moderate/audit', '/articles/a-b?sort=newest#c-abc', '/', '/articles/%C3%A9t%C3%A9?sort=top', '/a/b/', '/moderate?x=%2F']) {
      assert.equal(safeNextPath(path), path, path);
    }
  });

  test('nothing, or something empty, is the desk', () => {
    for (const value of [undefined, null, '', ' ']) assert.equal(safeNextPath(value), DEFAULT_NEXT_PATH, String(value));
    assert.equal(DEFAULT_NEXT_PATH, '/moderate');
  });

  // Every one of these, given to location.assign (or a Location header) on this site, could leave it.
  const TRICKY = [
    '//evil.example/',
    '///evil.example/',
    '/\\evil.example/',
    '\\\\evil.example/',
    '\\/evil.example/',
    '/\t/evil.example/',
    '/\n/evil.example/',
    '/\r/evil.example/',
    '\t//evil.example/',
    ' //evil.example/',
    '/ /evil.example/',
    '/%09/evil.example/',
    '/%0a/evil.example/',
    '/%0D%0A/evil.example/',
    '/%2F/evil.example/',
    '/%2f%2fevil.example/',
    '%2F%2Fevil.example/',
    '/%5Cevil.example/',
    '/%5cevil.example/',
    '/%255Cevil.example/',
    '/%252F/evil.example/',
    '/moderate\\..\\..\\/evil.example',
    '/moderate/..//evil.example',
    '/./\\evil.example',
    '/.//evil.example',
    'https://evil.example/',
    'http:evil.example',
    'https:/evil.example',
    '//evil.example@comments.example/',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    '/javascript:alert(1)\\',
    'data:text/html,<script>alert(1)</script>',
    'evil.example',
    '.evil.example',
    '?next=//evil.example',
    '#//evil.example',
    '/\u0000/evil.example',
    '/\u007f/evil.example',
    '/\u0085/evil.example',
    '/\u2028/evil.example',
    '/\u00a0/evil.example',
    '/\uff0f\uff0fevil.example',
    '/%ZZ',
    '/%',
    '/moderate' + '/x'.repeat(2000),
  ];

  test('a target that could leave the site, or that does not decode, is the desk', () => {
    for (const value of TRICKY) assert.equal(safeNextPath(value), DEFAULT_NEXT_PATH, JSON.stringify(value));
  });

  test('whatever it answers stays on this site in a browser, also when decoded once more', () => {
    for (const value of [...TRICKY, '/moderate', '/a?b=c#d']) {
      const answer = safeNextPath(value);
      assert.equal(landing(answer), 'https://comments.example', `${JSON.stringify(value)} → ${answer}`);
      assert.equal(landing(decodeURIComponent(answer)), 'https://comments.example', `${JSON.stringify(value)} → ${answer}, decoded`);
    }
  });

  test('the answer is a fixed point: checking it again changes nothing', () => {
    for (const value of [...TRICKY, '/moderate/audit', '/articles/x?sort=top#c-1']) {
      const answer = safeNextPath(value);
      assert.equal(safeNextPath(answer), answer, JSON.stringify(value));
    }
  });
});
