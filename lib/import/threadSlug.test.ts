import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { importedArticleUrl, importedSlug } from './threadSlug';

describe('an imported thread’s slug', () => {
  test('a Disqus identifier that is already a slug is kept, so a page’s old disqus_identifier names its thread', () => {
    assert.equal(importedSlug({ identifier: 'budget-2019', link: 'https://x.example/a/other-words/', title: 'Other', fallback: 'disqus-1' }), 'budget-2019');
  });

  test('else the post name, the address’s last segment, the title, the identifier, the source’s id, in that order', () => {
    assert.equal(importedSlug({ name: 'caf%C3%A9-news', link: 'https://x.example/p/last/', title: 'Title', fallback: 'post-1' }), 'cafe-news');
    assert.equal(importedSlug({ identifier: '7 https://x.example/?p=7', link: 'https://x.example/2019/harbour.html', title: 'Title', fallback: 'disqus-1' }), 'harbour');
    assert.equal(importedSlug({ identifier: '7 https://x.example/?p=7', link: 'https://x.example/2019/%E6%B8%AF/', title: 'Weather', fallback: 'disqus-1' }), 'weather');
    assert.equal(importedSlug({ identifier: '7 https://x.example/?p=7', link: 'https://x.example/2019/%E6%B8%AF/', title: '天气', fallback: 'disqus-1' }), '7-https-x-example-p-7');
    assert.equal(importedSlug({ link: 'https://x.example/2019/%E6%B8%AF/', title: '天气', fallback: 'disqus-1' }), 'disqus-1', 'not 2019: every article of the year would share it');
    assert.equal(importedSlug({ name: '%E6%B8%AF', link: 'https://x.example/?p=9', title: '天气', fallback: 'post-9' }), 'post-9');
  });

  test('never the placeholder of a title with no slug', () => {
    assert.equal(importedSlug({ title: '市议会', fallback: 'disqus-42' }), 'disqus-42');
    assert.equal(importedSlug({ identifier: 'Not A Slug!', title: '市议会', fallback: 'disqus-42' }), 'not-a-slug');
  });

  test('the article address is kept without its fragment; anything but http(s) is not an article', () => {
    assert.equal(importedArticleUrl(' https://x.example/a/#disqus_thread '), 'https://x.example/a/');
    assert.equal(importedArticleUrl('javascript:alert(1)'), null);
    assert.equal(importedArticleUrl(undefined), null);
  });
});
