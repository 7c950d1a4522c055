import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCommentHtml } from './markdown';

const REL = 'rel="ugc nofollow noopener"';

/** Every way an HTML element or attribute could reach the page from user text. */
function assertNoActiveHtml(html: string): void {
  assert.doesNotMatch(html, /<(script|img|iframe|object|embed|svg|style)\b/i);
  assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, 'no event-handler attribute');
  assert.doesNotMatch(html, /href="(?!https?:|mailto:)/i, 'every href uses an allowed scheme');
}

describe('renderCommentHtml: the supported subset', () => {
  test('blank lines separate paragraphs; a single newline is a line break', () => {
    assert.equal(renderCommentHtml('one\ntwo\n\nthree'), '<p>one<br>\ntwo</p>\n<p>three</p>\n');
  });

  test('an ordered list keeps its start number', () => {
    assert.equal(renderCommentHtml('3. third\n4. fourth'), '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n');
  });

  test('a list starting at 1 needs no start attribute', () => {
    assert.equal(renderCommentHtml('1. a\n2. b'), '<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n');
  });

  test('bullet lists', () => {
    assert.equal(renderCommentHtml('- a\n- b'), '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
  });

  test('emphasis, strong and strikethrough', () => {
    assert.equal(
      renderCommentHtml('*em* _em_ **strong** __strong__ ~~gone~~'),
      '<p><em>em</em> <em>em</em> <strong>strong</strong> <strong>strong</strong> <s>gone</s></p>\n',
    );
  });

  test('inline code is escaped, not interpreted', () => {
    assert.equal(renderCommentHtml('use `<b>*x*</b>` here'), '<p>use <code>&lt;b&gt;*x*&lt;/b&gt;</code> here</p>\n');
  });

  test('block quotes', () => {
    assert.equal(renderCommentHtml('> quoted\n> more'), '<blockquote>\n<p>quoted<br>\nmore</p>\n</blockquote>\n');
  });

  test('a backslash escapes markdown syntax', () => {
    assert.equal(renderCommentHtml('\\*not em\\*'), '<p>*not em*</p>\n');
  });
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
