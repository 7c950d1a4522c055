import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { articleAddressCandidates } from './articleAddress';

describe('the spellings of an article address an imported thread may know', () => {
  test('the address itself first, then https/http, www., a trailing slash', () => {
    const candidates = articleAddressCandidates('https://news.example/2019/05/budget/');
    assert.equal(candidates[0], 'https://news.example/2019/05/budget/');
    assert.deepEqual(new Set(candidates), new Set([
      'https://news.example/2019/05/budget/',
      'https://news.example/2019/05/budget',
      'https://www.news.example/2019/05/budget/',
      'https://www.news.example/2019/05/budget',
      'http://news.example/2019/05/budget/',
      'http://news.example/2019/05/budget',
      'http://www.news.example/2019/05/budget/',
      'http://www.news.example/2019/05/budget',
    ]));
  });

  test('tracking parameters are dropped in a second set; the other parameters stay in every spelling', () => {
    const candidates = articleAddressCandidates('http://www.news.example/?p=123&utm_source=mail&fbclid=abc');
    assert.equal(candidates[0], 'http://www.news.example/?p=123&utm_source=mail&fbclid=abc');
    assert.ok(candidates.includes('https://news.example/?p=123'));
    assert.ok(candidates.every((c) => c.includes('?p=123')), 'p=123 names the article');
    assert.ok(candidates.length <= 32);
    // The root has no slash to toggle.
    assert.ok(!candidates.some((c) => c.startsWith('https://news.example?')));
  });

  test('a fragment is not part of the address; something that is not an address has no spellings', () => {
    assert.equal(articleAddressCandidates('https://news.example/a#comments')[0], 'https://news.example/a');
    assert.deepEqual(articleAddressCandidates('not a url'), []);
  });
});
