import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchThreadUrl, parseThreadUrlPattern, type ThreadUrlPattern } from './threadUrls';

function patterns(...entries: string[]): ThreadUrlPattern[] {
  return entries.map((entry) => {
    const pattern = parseThreadUrlPattern(entry);
    assert.ok(typeof pattern !== 'string', `${entry}: ${String(pattern)}`);
    return pattern;
  });
}

describe('EMBED_THREAD_URLS patterns', () => {
  const listed = patterns('https://news.example.com/articles/*', 'https://news.example.com/20*/*/*/', 'https://www.example.org/live/**');
  const match = (url: string) => matchThreadUrl(listed, url);

  test('* stands for one path segment or part of one; ** for anything; the origin is exact and the path whole', () => {
    assert.equal(match('https://news.example.com/articles/council-bridge-vote'), 'https://news.example.com/articles/council-bridge-vote');
    assert.equal(match('https://news.example.com/2026/11/council-bridge-vote/'), 'https://news.example.com/2026/11/council-bridge-vote/');
    assert.equal(match('https://www.example.org/live/2026/11/03/election'), 'https://www.example.org/live/2026/11/03/election');
    assert.equal(match('https://www.example.org/live/'), 'https://www.example.org/live/');
    assert.equal(match('https://news.example.com/articles/a/b'), null, '* does not cross a /');
    assert.equal(match('https://news.example.com/articles'), null);
    assert.equal(match('https://news.example.com/2026/11/vote'), null, 'the trailing / is part of the pattern');
    assert.equal(match('https://news.example.com/opinion/articles/x'), null);
  });

  test('the query is not matched (and kept), the fragment dropped', () => {
    assert.equal(match('https://news.example.com/articles/vote?utm_source=x#comments'), 'https://news.example.com/articles/vote?utm_source=x');
  });

  test('another scheme, port, host, a look-alike or credentials do not match', () => {
    for (const url of [
      'http://news.example.com/articles/vote',
      'https://news.example.com:8443/articles/vote',
      'https://evil.example/articles/vote',
      'https://news.example.com.evil.example/articles/vote',
      'https://sub.news.example.com/articles/vote',
      'https://user:pw@news.example.com/articles/vote',
      'javascript:alert(1)',
      'not a url',
    ]) {
      assert.equal(match(url), null, url);
    }
  });

  test('a path that climbs out with .. or hides a / in an escape is read as a browser reads it', () => {
    assert.equal(match('https://news.example.com/articles/../admin'), null);
    assert.equal(match('https://news.example.com/articles/a%2Fb'), 'https://news.example.com/articles/a%2Fb', 'an escaped / is part of one segment, as the site sees it');
  });

  test('regular expression characters in a pattern are taken literally', () => {
    const literal = patterns('https://news.example.com/a.b/(x)+/*');
    assert.ok(matchThreadUrl(literal, 'https://news.example.com/a.b/(x)+/story'));
    assert.equal(matchThreadUrl(literal, 'https://news.example.com/aXb/(x)+/story'), null);
  });

  test('a bad pattern says why', () => {
    const problems: [string, RegExp][] = [
      ['news.example.com/articles/*', /absolute http/],
      ['ftp://news.example.com/*', /http:\/\/ or https:\/\//],
      ['https://news.example.com/articles/*?id=*', /no query or fragment|must not have a query/],
      ['https://news.example.com/articles/#x', /must not have a query or fragment/],
      ['https://*.example.com/articles/*', /host is matched exactly/],
      ['https://user:pw@news.example.com/*', /user name or password/],
    ];
    for (const [entry, why] of problems) {
      const result = parseThreadUrlPattern(entry);
      assert.equal(typeof result, 'string', entry);
      assert.match(result as string, why, entry);
    }
  });
});
