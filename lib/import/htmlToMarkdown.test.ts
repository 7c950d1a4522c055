import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import blns from 'big-list-of-naughty-strings';
import { renderCommentHtml } from '../domain/markdown';
import { htmlToMarkdown, htmlToPlainMarkdown } from './htmlToMarkdown';
import { readerView } from './readerView';

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
    'quotes, lists and code',
    [
      ['Hi<blockquote><p>quoted</p><p>two</p></blockquote>after', 'Hi\n\n> quoted\n>\n> two\n\nafter'],
      ['<ul><li>one</li><li>two</li></ul>', '- one\n- two'],
      ['use <code>a*b</code>', 'use `a*b`'],
    ],
  ],
  [
    'a bare link shows its address; broken markup does not throw',
    [
      ['<a href="http://e.example">http://e.example</a>', '<http://e.example>'],
      ['unclosed <a href="http://a.example">link', 'unclosed [link](http://a.example)'],
      // A tag cut off by the end of the text shows nothing, as in a browser.
      ['<<>><!-- note --> <b', '<<>>'],
    ],
  ],
];

for (const [what, pairs] of CONVERSIONS) {
  test(what, () => {
    for (const [html, markdown] of pairs) assert.equal(htmlToMarkdown(html), markdown);
  });
}

test('scripts, styles, images and unsafe links leave nothing behind but text', () => {
  const md = htmlToMarkdown('<script>alert(1)</script><style>p{}</style><img src=x onerror=alert(1)><a href="javascript:alert(1)">click</a><iframe src="https://x.example">frame</iframe>');
  assert.equal(md, 'click');
  const html = renderCommentHtml(htmlToMarkdown('<p onclick="x()">&lt;script&gt;alert(1)&lt;/script&gt;</p>'));
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /&lt;script&gt;/);
});

/**
 * Each case as a reader of the board sees it: the markdown it becomes, rendered by the board's
 * own renderer (`sees`: the text, a line break as `\n`, blocks apart by a blank line), and the
 * addresses its links go to. The glitches of issue 18 point 4, and their neighbours.
 */
interface ReaderCase {
  what: string;
  html: string;
  markdown: string;
  sees: string;
  hrefs?: string[];
  /** What the rendered HTML must hold besides the text (a list's structure, say). */
  renders?: RegExp[];
}

const READER_CASES: readonly ReaderCase[] = [
  {
    what: 'a definition list: each term and definition on a line of its own, no bogus link from "friends.Do"',
    html: '<dl><dt>#dowork</dt><dd>Works as a self motivator, to motivating your friends.</dd><dt>Do It Live</dt><dd>I\'ll let Bill <a title="Live" href="https://video.example/watch?v=O_Hy">explain</a> this one.</dd></dl>',
    markdown: "#dowork\nWorks as a self motivator, to motivating your friends.\n\nDo It Live\nI'll let Bill [explain](https://video.example/watch?v=O_Hy) this one.",
    sees: "#dowork\nWorks as a self motivator, to motivating your friends.\n\nDo It Live\nI'll let Bill explain this one.",
    hrefs: ['https://video.example/watch?v=O_Hy'],
  },
  {
    what: 'a table: one row a line, its cells apart',
    html: '<table><thead><tr><th>Name</th><th>Said</th></tr></thead><tbody>\n<tr><td>Ann</td><td>Hello friends.</td></tr>\n<tr><td>Do It Live</td><td><a href="http://example.org/">Jane</a> <b>too</b></td></tr><tr><td></td><td></td></tr></tbody></table>',
    markdown: 'Name | Said\nAnn | Hello friends.\nDo It Live | [Jane](http://example.org/) **too**',
    sees: 'Name | Said\nAnn | Hello friends.\nDo It Live | Jane too',
    hrefs: ['http://example.org/'],
  },
  {
    what: 'cells with paragraphs and a list keep to their row',
    html: '<table><tr><td><p>one</p><p>two</p></td><td><ul><li>a</li></ul></td></tr><tr><td>- dash</td></tr></table>',
    markdown: 'one two | - a\n\\- dash',
    sees: 'one two | - a\n- dash',
  },
  {
    what: 'a link with empty text shows its address',
    html: '<p>Photo: <a href="https://photos.example/a.jpg"><img src="https://photos.example/a.jpg" alt=""></a> and <a href="https://e.example/x"><b></b></a>.</p>',
    markdown: 'Photo: <https://photos.example/a.jpg> and <https://e.example/x>.',
    sees: 'Photo: https://photos.example/a.jpg and https://e.example/x.',
    hrefs: ['https://photos.example/a.jpg', 'https://e.example/x'],
  },
  {
    what: 'a paragraph inside a link stays the link text',
    html: '<a href="https://e.example/"><p>Read</p><p>more</p></a>',
    markdown: '[Read more](https://e.example/)',
    sees: 'Read more',
    hrefs: ['https://e.example/'],
  },
  {
    what: 'a paragraph inside inline code is a line of code of its own, as a browser shows it; so is a line after a break',
    html: 'Run <code><p>npm install</p></code> first, then <code>a<br>b</code>.',
    markdown: 'Run\n\n`npm install`\n\nfirst, then `a`\n`b`.',
    sees: 'Run\n\nnpm install\n\nfirst, then a\nb.',
  },
  {
    what: 'preformatted text keeps its lines, blank ones too, without stray backticks',
    html: '<pre><code>if (a) {\n  b(`x`);\n\n}</code></pre><p>after</p>',
    markdown: '`if (a) {`\n``  b(`x`);``\n\n`}`\n\nafter',
    sees: 'if (a) {\nb(`x`);\n\n}\n\nafter',
  },
  {
    what: 'bold that markdown could not close is left plain rather than showing asterisks',
    html: '<p><b>Update:</b>the vote passed; <b>(sic)</b> kept; x<i>"quoted"</i>y.</p>',
    markdown: 'Update:the vote passed; **(sic)** kept; x"quoted"y.',
    sees: 'Update:the vote passed; (sic) kept; x"quoted"y.',
  },
  {
    what: 'styles written one after another are one run, not four asterisks in the text',
    html: '<b>foo</b><strong>bar</strong> <i>a</i><!-- c --><em>b</em> <s>x</s><del>y</del> <b>c</b><i>d</i>',
    markdown: '**foobar** *ab* ~~xy~~ **c***d*',
    sees: 'foobar ab xy cd',
    renders: [/<strong>foobar<\/strong> <em>ab<\/em> <s>xy<\/s> <strong>c<\/strong><em>d<\/em>/],
  },
  {
    what: 'bold across paragraphs is bold in each',
    html: '<b><p>one</p><p>two</p></b>',
    markdown: '**one**\n\n**two**',
    sees: 'one\n\ntwo',
  },
  {
    what: 'headings and rules the board cannot show become paragraphs',
    html: '<h2>Title</h2><p>text</p><hr><p>more</p>',
    markdown: 'Title\n\ntext\n\nmore',
    sees: 'Title\n\ntext\n\nmore',
  },
  {
    what: 'nested and numbered lists',
    html: '<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul><ol start="3"><li>c</li><li>d</li></ol>',
    markdown: '- one\n  - inner\n- two\n\n3. c\n4. d',
    sees: 'one\n\ninner\n\ntwo\n\nc\n\nd',
    renders: [/<li>one\n<ul>\n<li>inner<\/li>\n<\/ul>\n<\/li>\n<li>two<\/li>/, /<ol start="3">/],
  },
  {
    what: 'text that looks like markup stays text: strikes, entities, list markers after a break',
    html: '~~not struck~~ &amp;amp; <br>- not a list<br>2) nor this<br>&gt; nor a quote',
    markdown: '\\~\\~not struck\\~\\~ \\&amp;\n\\- not a list\n2\\) nor this\n\\> nor a quote',
    sees: '~~not struck~~ &amp;\n- not a list\n2) nor this\n> nor a quote',
  },
  {
    what: 'unsafe links keep their text; addresses with spaces and parentheses stay one link',
    html: '<a href="javascript:alert(1)">x</a> <a href=" https://e.example/a b(c) ">y</a> <a href="mailto:ed@e.example">mail</a>',
    markdown: 'x [y](https://e.example/a%20b%28c%29) [mail](mailto:ed@e.example)',
    sees: 'x y mail',
    hrefs: ['https://e.example/a%20b%28c%29', 'mailto:ed@e.example'],
  },
  {
    what: 'two breaks are a paragraph break; a quotation keeps its marks',
    html: 'one<br><br>two <q>said</q>',
    markdown: 'one\n\ntwo “said”',
    sees: 'one\n\ntwo “said”',
  },
];

describe('htmlToMarkdown: what a reader of the board sees', () => {
  for (const c of READER_CASES) {
    test(c.what, () => {
      const markdown = htmlToMarkdown(c.html);
      assert.equal(markdown, c.markdown);
      const view = readerView(markdown);
      assert.equal(view.text, c.sees);
      assert.deepEqual(view.hrefs, c.hrefs ?? []);
      for (const pattern of c.renders ?? []) assert.match(view.html, pattern);
      // No markup of the source, and none of the markdown, is left on the page as text.
      assert.doesNotMatch(view.text, /<\/?[a-z][a-z0-9]*\b[^>]*>/i, 'no literal tags');
      for (const syntax of ['`', '*', '](']) {
        if (!c.html.includes(syntax)) assert.ok(!view.text.includes(syntax), `no stray ${syntax}`);
      }
    });
  }
});

describe('htmlToMarkdown: input that is not what a comment usually is', () => {
  test('every string of the Big List of Naughty Strings converts, and nothing active reaches the page', () => {
    for (const naughty of blns as string[]) {
      const view = readerView(htmlToMarkdown(naughty));
      assert.doesNotMatch(view.html, /<(script|img|iframe|object|embed|svg|style)\b/i, naughty);
      assert.doesNotMatch(view.html, /<[^>]*\son\w+\s*=/i, naughty);
      for (const href of view.hrefs) assert.match(href, /^(https?:|mailto:)/i, naughty);
    }
  });

  test('an element name a DOM cannot copy is read as its content', () => {
    assert.equal(htmlToMarkdown('<p>a<img\\x47src=x onerror="alert(1)">b <y[1]>c</y[1]></p>'), 'ab c');
  });

  test('nesting thousands deep keeps its words and does not overflow the stack', () => {
    assert.match(htmlToMarkdown('<blockquote>'.repeat(3_000) + 'deep *words*'), /deep \\\*words\\\*$/);
    assert.equal(htmlToMarkdown('<span><b>'.repeat(3_000) + 'bold'), '**bold**');
  });

  test('past 10,000 tags a comment is read as plain text, in reasonable time', () => {
    const started = process.hrtime.bigint();
    assert.equal(htmlToMarkdown('<ul><li>'.repeat(6_000) + 'one *item*'), 'one \\*item\\*');
    assert.ok(process.hrtime.bigint() - started < 10_000_000_000n, 'under ten seconds');
  });

  test('plain text keeps the words and the line breaks of blocks', () => {
    assert.equal(htmlToPlainMarkdown('<p>a *b*</p><script>x</script><br>c &amp; d<!-- no -->'), 'a \\*b\\*\n\nc & d');
  });
});
