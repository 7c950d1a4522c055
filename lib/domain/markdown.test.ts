import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BODY_MAX } from '../contract/api';
import { MAX_BLOCK_LEVEL, MAX_LINKS, renderCommentHtml } from './markdown';

const REL = 'rel="ugc nofollow noopener"';

/** Every way an HTML element or attribute could reach the page from user text. */
function assertNoActiveHtml(html: string): void {
  assert.doesNotMatch(html, /<(script|img|iframe|object|embed|svg|style)\b/i);
  assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, 'no event-handler attribute');
  assert.doesNotMatch(html, /href="(?!https?:|mailto:)/i, 'every href uses an allowed scheme');
}

/** [what, markdown, the HTML it renders to]: one test each. */
const SUBSET: readonly (readonly [string, string, string])[] = [
  ['blank lines separate paragraphs; a single newline is a line break', 'one\ntwo\n\nthree', '<p>one<br>\ntwo</p>\n<p>three</p>\n'],
  ['an ordered list keeps its start number', '3. third\n4. fourth', '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n'],
  ['a list starting at 1 needs no start attribute', '1. a\n2. b', '<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n'],
  ['bullet lists', '- a\n- b', '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n'],
  [
    'emphasis, strong and strikethrough',
    '*em* _em_ **strong** __strong__ ~~gone~~',
    '<p><em>em</em> <em>em</em> <strong>strong</strong> <strong>strong</strong> <s>gone</s></p>\n',
  ],
  ['inline code is escaped, not interpreted', 'use `<b>*x*</b>` here', '<p>use <code>&lt;b&gt;*x*&lt;/b&gt;</code> here</p>\n'],
  ['block quotes', '> quoted\n> more', '<blockquote>\n<p>quoted<br>\nmore</p>\n</blockquote>\n'],
  ['a backslash escapes markdown syntax', '\\*not em\\*', '<p>*not em*</p>\n'],
];

describe('renderCommentHtml: the supported subset', () => {
  for (const [what, markdown, html] of SUBSET) {
    test(what, () => {
      assert.equal(renderCommentHtml(markdown), html);
    });
  }
});

describe('renderCommentHtml: links', () => {
  test('a markdown link is marked as user content', () => {
    assert.equal(renderCommentHtml('[site](https://example.com/x)'), `<p><a href="https://example.com/x" ${REL}>site</a></p>\n`);
  });

  test('a bare URL becomes a link with the same rel', () => {
    assert.equal(
      renderCommentHtml('see https://example.com/a?b=1 now'),
      `<p>see <a href="https://example.com/a?b=1" ${REL}>https://example.com/a?b=1</a> now</p>\n`,
    );
  });

  test('a bare www. address becomes an http link', () => {
    assert.equal(renderCommentHtml('www.example.com'), `<p><a href="http://www.example.com" ${REL}>www.example.com</a></p>\n`);
  });

  test('angle-bracket autolinks and mailto: links get the rel too', () => {
    assert.equal(
      renderCommentHtml('<https://x.org> [mail](mailto:a@b.co)'),
      `<p><a href="https://x.org" ${REL}>https://x.org</a> <a href="mailto:a@b.co" ${REL}>mail</a></p>\n`,
    );
  });

  test('a link title cannot break out of its attribute', () => {
    assert.equal(
      renderCommentHtml('[x](https://a.com "say \\"hi\\"")'),
      `<p><a href="https://a.com" title="say &quot;hi&quot;" ${REL}>x</a></p>\n`,
    );
  });

  for (const [scheme, url] of [
    ['javascript:', 'javascript:alert(1)'],
    ['JavaScript: in mixed case', 'JaVaScRiPt:alert(1)'],
    ['javascript: behind an entity', '&#106;avascript:alert(1)'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['file:', 'file:///etc/passwd'],
  ] as const) {
    test(`a ${scheme} link is left as text`, () => {
      const html = renderCommentHtml(`[click](${url}) <${url}>`);
      assert.doesNotMatch(html, /<a\b/);
      assertNoActiveHtml(html);
    });
  }
});

describe('renderCommentHtml: what must never pass through', () => {
  test('a <script> element is escaped', () => {
    assert.equal(renderCommentHtml('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
  });

  test('an <img onerror> is escaped', () => {
    assert.equal(renderCommentHtml('<img src=x onerror="alert(1)">'), '<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>\n');
  });

  test('a hand-typed <a href> stays text (only the URL inside is linkified)', () => {
    const html = renderCommentHtml('<a href="https://evil.example" onclick="steal()">x</a>');
    assert.equal(
      html,
      `<p>&lt;a href=&quot;<a href="https://evil.example" ${REL}>https://evil.example</a>&quot; onclick=&quot;steal()&quot;&gt;x&lt;/a&gt;</p>\n`,
    );
    assertNoActiveHtml(html);
  });

  test('HTML inside a block quote or list is escaped too', () => {
    const html = renderCommentHtml('> <iframe src="https://x.org"></iframe>\n\n- <svg onload=alert(1)>');
    assertNoActiveHtml(html);
    assert.match(html, /&lt;iframe/);
    assert.match(html, /&lt;svg onload=alert\(1\)&gt;/);
  });

  test('an image is not rendered as <img>', () => {
    const html = renderCommentHtml('![alt](https://example.com/p.png)');
    assert.equal(html, `<p>!<a href="https://example.com/p.png" ${REL}>alt</a></p>\n`);
  });

  test('headings stay plain text', () => {
    assert.equal(renderCommentHtml('# Big\n\n## Bigger'), '<p># Big</p>\n<p>## Bigger</p>\n');
    assert.equal(renderCommentHtml('Setext\n==='), '<p>Setext<br>\n===</p>\n');
  });

  test('no code blocks, rules or tables: the text is shown as written', () => {
    assert.equal(renderCommentHtml('    indented'), '<p>indented</p>\n');
    assert.equal(renderCommentHtml('---'), '<p>---</p>\n');
    assert.equal(renderCommentHtml('| a |\n|---|'), '<p>| a |<br>\n|---|</p>\n');
  });
});

/** The text a reader sees in `html`: tags dropped, the few entities markdown-it writes decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Rendering stays proportional to the input: no blow-up of the output, whatever the nesting. */
function assertBoundedOutput(body: string, html: string): void {
  assert.ok(html.length < 10 * body.length + 200, `${html.length} characters of HTML for ${body.length} of markdown`);
}

describe('renderCommentHtml: deep nesting', () => {
  test(`quotes deeper than ${MAX_BLOCK_LEVEL} levels show the rest as text instead of dropping it`, () => {
    const body = `${'>'.repeat(BODY_MAX - 6)} deep!`;
    const html = renderCommentHtml(body);
    assert.equal((html.match(/<blockquote>/g) ?? []).length, MAX_BLOCK_LEVEL);
    assert.match(html, /deep!<\/p>/);
    assert.ok(visibleText(html).includes(`${'>'.repeat(BODY_MAX - 6 - MAX_BLOCK_LEVEL)} deep!`), 'the remaining markers are shown as written');
    assertBoundedOutput(body, html);
  });

  test('a few levels of quotes still render as quotes', () => {
    assert.equal(renderCommentHtml('>> two'), '<blockquote>\n<blockquote>\n<p>two</p>\n</blockquote>\n</blockquote>\n');
  });

  test('lists nested past the limit keep their text', () => {
    const body = Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    const html = renderCommentHtml(body);
    assert.equal((html.match(/<ul>/g) ?? []).length, MAX_BLOCK_LEVEL / 2);
    assert.match(html, /item 59/);
    assertBoundedOutput(body, html);
  });

  for (const [label, body] of [
    ['list markers on one line', '- '.repeat(BODY_MAX / 2)],
    ['quote markers with spaces', '> '.repeat(BODY_MAX / 2)],
    ['nested emphasis', `${'*'.repeat(2499)}x${'*'.repeat(2499)}`],
    ['alternating emphasis', '*_'.repeat(1250) + '_*'.repeat(1250)],
    ['open brackets', '['.repeat(BODY_MAX)],
    ['half-made links', '[]('.repeat(1666)],
    ['backticks', '`a``'.repeat(1250)],
    ['strikethrough markers', '~~'.repeat(2500)],
  ] as const) {
    test(`${BODY_MAX} characters of ${label} render to bounded, inert HTML`, () => {
      const html = renderCommentHtml(body);
      assertBoundedOutput(body, html);
      assertNoActiveHtml(html);
    });
  }
});

describe('renderCommentHtml: links per comment', () => {
  test(`at most ${MAX_LINKS} links; bare addresses past that are plain text`, () => {
    const body = 'a.co '.repeat(BODY_MAX / 5);
    const html = renderCommentHtml(body);
    assert.equal((html.match(/<a /g) ?? []).length, MAX_LINKS);
    assert.equal(visibleText(html).trim(), body.trim());
    assertBoundedOutput(body, html);
  });

  test('a [text](url) link past the limit shows its address after its text', () => {
    const body = `${'<https://x.org> '.repeat(MAX_LINKS)}[last](https://example.com/y)`;
    const html = renderCommentHtml(body);
    assert.equal((html.match(/<a /g) ?? []).length, MAX_LINKS);
    assert.match(html, /last \(https:\/\/example\.com\/y\)<\/p>/);
  });

  test('a 10,000-link body does not fit in a comment; as many links as fit render quickly and capped', () => {
    const tenThousand = 'a.co '.repeat(10_000);
    assert.ok(tenThousand.trim().length > BODY_MAX);
    const html = renderCommentHtml(tenThousand.slice(0, BODY_MAX));
    assert.equal((html.match(/<a /g) ?? []).length, MAX_LINKS);
  });
});

describe('renderCommentHtml: invisible and bidi characters are kept, as text', () => {
  test('bidi overrides and zero-width characters pass through unchanged inside the paragraph', () => {
    const body = 'a\u202eb\u2066c\u2069\u200bd\u200d\ufeffe';
    assert.equal(renderCommentHtml(body), `<p>${body}</p>\n`);
  });
});
