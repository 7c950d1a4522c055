import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meaningfulSlug, threadSlug, webAddress } from './sourceSlug';

test('the title gives the slug when it can', () => {
  assert.equal(threadSlug({ title: 'Harbour plans & the budget', url: 'https://x.example/2021/03/other/', externalId: '1' }), 'harbour-plans-the-budget');
  assert.equal(threadSlug({ title: 'An article about articles', externalId: '1' }), 'an-article-about-articles');
});

test('a title with no usable letters falls back to the URL path, then the source id, never to a placeholder', () => {
  assert.equal(threadSlug({ title: '中文标题', url: 'https://x.example/news/city-hall-fire.html', externalId: '9' }), 'city-hall-fire');
  assert.equal(threadSlug({ title: '中文标题', url: 'https://x.example/2021/04/%E4%B8%AD%E6%96%87/', externalId: '9' }), '2021-04', 'the whole path when its last segment has no Latin letters');
  assert.equal(threadSlug({ title: '中文新闻', url: 'https://x.example/?p=77', externalId: 'cms-77' }), 'cms-77');
  const hashed = threadSlug({ title: '中文', url: 'https://x.example/中文/', externalId: '新闻' });
  assert.match(hashed, /^thread-[0-9a-f]{12}$/);
  assert.notEqual(hashed, threadSlug({ title: '中文', externalId: '体育' }), 'two such threads are told apart');
});

test('meaningfulSlug refuses only the placeholder slugify makes of nothing', () => {
  assert.equal(meaningfulSlug('中文'), undefined);
  assert.equal(meaningfulSlug('!!!'), undefined);
  assert.equal(meaningfulSlug(undefined), undefined);
  assert.equal(meaningfulSlug('Article'), 'article', 'a title that is the word itself is kept');
});

test('webAddress keeps web pages only, with entities decoded', () => {
  assert.equal(webAddress('https://x.example/a?b=1&amp;c=2'), 'https://x.example/a?b=1&c=2');
  assert.equal(webAddress('http://x.example'), 'http://x.example/');
  assert.equal(webAddress('javascript:alert(1)'), null);
  assert.equal(webAddress('site-wide'), null);
  assert.equal(webAddress(undefined), null);
});
