import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCommentHtml } from '../domain/markdown';
import { htmlToMarkdown } from './htmlToMarkdown';

/** [what, HTML → markdown pairs]: one test each. */
const CONVERSIONS: readonly (readonly [string, readonly (readonly [string, string])[]])[] = [
  [
    'paragraphs, emphasis and links become markdown; entities are decoded',
    [['<p>Hello <b>world</b> &amp; <i>you</i></p><p>See <a href="https://x.example/a_(b)">this</a><br>next line</p>', 'Hello **world** & *you*\n\nSee [this](https://x.example/a_%28b%29)\nnext line']],
  ],
  [
    'characters markdown would read as syntax stay literal',
    [
      ['a *star* and _under_ [x](y)', 'a \\*star\\* and \\_under\\_ \\[x\\](y)'],
      ['<p>1. not a list</p><p>+ nor this</p>', '1\\. not a list\n\n\\+ nor this'],
    ],
  ],
  [
    'quotes, lists and preformatted code',
    [
      ['Hi<blockquote><p>quoted</p><p>two</p></blockquote>after', 'Hi\n\n> quoted\n>\n> two\n\nafter'],
      ['<ul><li>one</li><li>two</li></ul>', '- one\n- two'],
      ['<pre>code  *x*\n  y</pre>', '```\ncode  *x*\n  y\n```'],
      ['use <code>a*b</code>', 'use `a*b`'],
    ],
  ],
  [
    'a bare link shows its address; broken markup does not throw',
    [
      ['<a href="http://e.example">http://e.example</a>', '<http://e.example>'],
      ['unclosed <a href="http://a.example">link', 'unclosed [link](http://a.example)'],
      ['<<>><!-- note --> <b', '<<>> <b'],
    ],
  ],
];

for (const [what, pairs] of CONVERSIONS) {
  test(what, () => {
    for (const [html, markdown] of pairs) assert.equal(htmlToMarkdown(html), markdown);
  });
}

test('scripts, styles, images and unsafe links leave nothing behind but text', () => {
  const md = htmlToMarkdown('<script>alert(1)</script><style>p{}</style><img src=x onerror=alert(1)><a href="javascript:alert(1)">click</a>');
  assert.equal(md, 'click');
  const html = renderCommentHtml(htmlToMarkdown('<p onclick="x()">&lt;script&gt;alert(1)&lt;/script&gt;</p>'));
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /&lt;script&gt;/);
});
