import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import blns from 'big-list-of-naughty-strings';
import { readerView } from './readerView';
import type { SourceRecord } from './records';
import { autoParagraphs, wordpressCommentToMarkdown } from './wordpressText';
import { readWxr } from './wxr';

/**
 * WordPress comments as stored (`comment_content`: text with newlines and some HTML), the
 * markdown each becomes, and what a reader of the board then sees (`sees`: a line break as
 * `\n`, paragraphs, list items and quotes apart by a blank line) and the HTML structure that
 * shows it (`renders`).
 */
interface WordPressCase {
  what: string;
  content: string;
  markdown: string;
  sees: string;
  renders?: RegExp[];
}

const CASES: readonly WordPressCase[] = [
  {
    what: 'a blank line is a paragraph break',
    content: 'First paragraph.\n\nSecond.',
    markdown: 'First paragraph.\n\nSecond.',
    sees: 'First paragraph.\n\nSecond.',
    renders: [/^<p>First paragraph\.<\/p>\n<p>Second\.<\/p>\n$/],
  },
  {
    what: 'a single newline is a line break; Windows newlines and runs of blank lines read the same',
    content: 'One line\r\nand the next\r\n\r\n\r\n\n  Last  \n',
    markdown: 'One line\nand the next\n\nLast',
    sees: 'One line\nand the next\n\nLast',
    renders: [/^<p>One line<br>\nand the next<\/p>\n<p>Last<\/p>\n$/],
  },
  {
    what: "WordPress's inline HTML still converts, across lines",
    content: 'Thanks for <strong>this</strong>.\nSee <a\nhref="https://example.org/report">the report</a>\n\n<em>Agreed</em> &amp; done',
    markdown: 'Thanks for **this**.\nSee [the report](https://example.org/report)\n\n*Agreed* & done',
    sees: 'Thanks for this.\nSee the report\n\nAgreed & done',
    renders: [/<strong>this<\/strong>\.<br>\nSee <a href="https:\/\/example\.org\/report"/, /<p><em>Agreed<\/em> &amp; done<\/p>/],
  },
  {
    what: 'block HTML is left as it is: no line breaks between its tags, a list stays a list',
    content: 'Points:\n<ul>\n<li>one</li>\n<li>two\nlines</li>\n</ul>\nDone.',
    markdown: 'Points:\n\n- one\n- two\n  lines\n\nDone.',
    sees: 'Points:\n\none\n\ntwo\nlines\n\nDone.',
    renders: [/<ul>\n<li>one<\/li>\n<li>two<br>\nlines<\/li>\n<\/ul>/],
  },
  {
    what: 'paragraphs inside a quote',
    content: '<blockquote>Quoted\n\ntwice</blockquote>\nMy reply',
    markdown: '> Quoted\n>\n> twice\n\nMy reply',
    sees: 'Quoted\n\ntwice\n\nMy reply',
    renders: [/<blockquote>\n<p>Quoted<\/p>\n<p>twice<\/p>\n<\/blockquote>/],
  },
  {
    what: 'preformatted text keeps its newlines and gets no breaks added',
    content: 'Try:\n<pre>if (a) {\n  go();\n}</pre>\nThen',
    markdown: 'Try:\n\n`if (a) {`\n`  go();`\n`}`\n\nThen',
    sees: 'Try:\n\nif (a) {\ngo();\n}\n\nThen',
    renders: [/<code>if \(a\) \{<\/code><br>\n<code> {2}go\(\);<\/code>/],
  },
  {
    what: 'a newline right after <br> is the same line break, not two; two <br>s are a paragraph break',
    content: 'a<br />\nb<br>\n<br>\nc',
    markdown: 'a\nb\n\nc',
    sees: 'a\nb\n\nc',
  },
  {
    what: 'markdown syntax typed in a comment is text, as WordPress showed it',
    content: '2 * 3 = 6 and *not em*\n- not a list\n1. not a list either\n> not a quote',
    markdown: '2 \\* 3 = 6 and \\*not em\\*\n\\- not a list\n1\\. not a list either\n\\> not a quote',
    sees: '2 * 3 = 6 and *not em*\n- not a list\n1. not a list either\n> not a quote',
    renders: [/^<p>[^<]*(<br>\n[^<]*){3}<\/p>\n$/],
  },
  {
    what: 'a definition list in a comment: its items apart, no bogus link from "friends.Do"',
    content: 'My list:\n<dl>\n<dt>#dowork</dt>\n<dd>to motivating your friends.</dd>\n<dt>Do It Live</dt>\n<dd>ok</dd>\n</dl>',
    markdown: 'My list:\n\n#dowork\nto motivating your friends.\n\nDo It Live\nok',
    sees: 'My list:\n\n#dowork\nto motivating your friends.\n\nDo It Live\nok',
  },
];

describe('wordpressCommentToMarkdown: what a reader of the board sees', () => {
  for (const c of CASES) {
    test(c.what, () => {
      const markdown = wordpressCommentToMarkdown(c.content);
      assert.equal(markdown, c.markdown);
      const view = readerView(markdown);
      assert.equal(view.text, c.sees);
      for (const pattern of c.renders ?? []) assert.match(view.html, pattern);
      assert.ok(
        view.hrefs.every((href) => c.content.includes(`href="${href}"`)),
        `only the comment's own links: ${view.hrefs.join(', ')}`,
      );
      assert.doesNotMatch(view.text, /<\/?[a-z][a-z0-9]*\b[^>]*>/i, 'no literal tags');
    });
  }
});

describe('autoParagraphs: the HTML WordPress would show', () => {
  test('text in runs between block tags, newlines inside tags and comments untouched', () => {
    assert.equal(autoParagraphs('a\nb\n\nc'), '<p>a<br>\nb</p>\n<p>c</p>');
    assert.equal(autoParagraphs('<div>x\ny</div>\n\n<p>z</p>'), '<div>x<br>\ny</div><p>z</p>');
    assert.equal(autoParagraphs('<a\nhref="h">t</a><!-- a\n\nb -->'), '<a\nhref="h">t</a><!-- a\n\nb -->');
    assert.equal(autoParagraphs('<script>x\n\ny</script>\nz'), '<script>x\n\ny</script><br>\nz');
  });

  test('a no-break space is text, not whitespace to trim', () => {
    assert.equal(autoParagraphs('\u00a0\n\nx'), '<p>\u00a0</p>\n<p>x</p>');
  });

  test('every string of the Big List of Naughty Strings reads, and converts to nothing active', () => {
    for (const naughty of blns as string[]) {
      const view = readerView(wordpressCommentToMarkdown(naughty));
      assert.doesNotMatch(view.html, /<(script|img|iframe|object|embed|svg|style)\b/i, naughty);
      for (const href of view.hrefs) assert.match(href, /^(https?:|mailto:)/i, naughty);
    }
  });

  test('a long run of unclosed tags is read in linear time', () => {
    // 600 kB: well under a second when each `<` is looked at once; about a minute here if each looked for a `>` to the end.
    const started = process.hrtime.bigint();
    autoParagraphs('<a '.repeat(100_000) + '\n\n' + '<pre '.repeat(60_000));
    assert.ok(process.hrtime.bigint() - started < 10_000_000_000n, 'under ten seconds');
  });
});

test('a WXR comment is read with WordPress newlines (lib/import/wxr.ts)', async () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><link>https://site.example</link>
<item><title>T</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_date_gmt>2020-01-01 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[First paragraph.

Second, on
two lines with <em>emphasis</em>.]]></wp:comment_content></wp:comment>
</item></channel></rss>`;
  const records: SourceRecord[] = [];
  for await (const record of readWxr({ input: (async function* () { yield xml; })(), fileName: 'multiline.xml' })) records.push(record);
  const comment = records.find((record) => record.kind === 'comment');
  assert.equal(comment?.kind === 'comment' ? comment.body : undefined, 'First paragraph.\n\nSecond, on\ntwo lines with *emphasis*.');
});
