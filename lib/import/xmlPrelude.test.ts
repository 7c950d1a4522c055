import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_PRELUDE, passPrelude } from './xmlPrelude';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const decide = (head: string, ended = true) => {
  const decision = passPrelude(head, { root: 'rss', ended });
  assert.ok(decision.decided, 'decided');
  return decision;
};

describe('text before the XML declaration', () => {
  test('a file that starts with its declaration, or has none, is passed on unchanged', () => {
    for (const file of [`${DECLARATION}\n<rss></rss>`, '<rss></rss>', '  <rss></rss>']) assert.deepEqual(decide(file), { decided: true, text: file, passedOver: null });
  });

  test('blank lines and byte-order marks are blanked with the declaration, keeping every line, and pass without a word', () => {
    const file = `\n\uFEFF\r\n${DECLARATION}<rss>\n</rss>`;
    const { text, passedOver } = decide(file);
    assert.equal(passedOver, null);
    assert.equal(text, `\n \r\n${' '.repeat(DECLARATION.length)}<rss>\n</rss>`);
    assert.equal(text.length, file.length);
  });

  test('a PHP warning is blanked, and described by its first line and its count of lines', () => {
    const warning = '<br />\n<b>Warning</b>:  Cannot modify header information in <b>export.php</b> on line <b>421</b><br />\n';
    const { text, passedOver } = decide(`${warning}${DECLARATION}\n<rss/>`);
    assert.deepEqual(passedOver, { line: 1, lines: 2, first: '<br />' });
    assert.equal(text.split('\n').length, 4, 'the lines stay where they were');
    assert.match(text, /^ {6}\n {20,}\n {20,}\n<rss\/>$/);
  });

  test('text that holds part of an export (its root element, CDATA) is passed on unchanged, for the parser to refuse where it is', () => {
    for (const head of [`</rss>\n${DECLARATION}<rss/>`, `<rss version="2.0">\n${DECLARATION}`, `<![CDATA[x]]>${DECLARATION}<rss/>`]) {
      assert.deepEqual(decide(head), { decided: true, text: head, passedOver: null }, head);
    }
  });

  test('more than MAX_PRELUDE characters before the declaration is not a warning that went astray', () => {
    const head = `${'x'.repeat(MAX_PRELUDE + 1)}${DECLARATION}<rss/>`;
    assert.equal(decide(head).text, head);
  });

  test('undecided until the declaration ends, the root element shows, or the file ends', () => {
    assert.deepEqual(passPrelude('Warning: x\n<?xml vers', { root: 'rss', ended: false }), { decided: false });
    assert.deepEqual(passPrelude('Warning: x\n', { root: 'rss', ended: false }), { decided: false });
    assert.equal(passPrelude('Warning: x\n<rss>', { root: 'rss', ended: false }).decided, true);
    assert.equal(passPrelude('Warning: x\n<?xml vers', { root: 'rss', ended: true }).decided, true);
  });

  test('a processing instruction named like xml-stylesheet is not the declaration', () => {
    const head = '<?xml-stylesheet href="a.css"?><rss/>';
    assert.equal(decide(head).text, head);
  });
});
