import { htmlToMarkdown } from './htmlToMarkdown';

/**
 * A WordPress comment (`wp:comment_content`) as Threadline's markdown source.
 *
 * WordPress stores a comment as it was written: plain text with newlines, plus whatever HTML
 * the writer typed and WordPress allowed. It is not HTML as stored: when WordPress shows a
 * comment, its wpautop() turns the newlines into paragraphs and line breaks first. Read as HTML,
 * those newlines would be mere whitespace and every comment would become one line. So the
 * newlines are read the way wpautop reads them (autoParagraphs) and the resulting HTML is
 * converted like any other.
 */
export function wordpressCommentToMarkdown(content: string): string {
  return htmlToMarkdown(autoParagraphs(content));
}

/**
 * Block-level elements, as wpautop lists them: they start and end paragraphs of their own, and
 * a newline next to one is not a line break.
 */
const BLOCKS = new Set(
  (
    'table thead tfoot caption col colgroup tbody tr td th div dl dd dt ul ol li pre form map area blockquote address math style p ' +
    'h1 h2 h3 h4 h5 h6 hr fieldset legend section article aside hgroup header footer nav figure figcaption details menu summary'
  ).split(' '),
);
/** Elements whose newlines wpautop leaves as they are (pre: preformatted; the others are not text). */
const VERBATIM = new Set(['pre', 'script', 'style', 'svg', 'math']);

/** A comment, a start or end tag, a run of text, or a `<` that starts none of these (text too). */
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])(?:[^<>"']|"[^"]*"|'[^']*')*>|[^<]+|</g;
/** Whitespace as wpautop and HTML read it (not the no-break space, which is text). */
const WHITESPACE = '[ \\t\\n\\f\\r]';
const BLANK_LINE = new RegExp(`\\n[ \\t\\f\\r]*\\n${WHITESPACE}*`);
const LEADING = new RegExp(`^${WHITESPACE}+`);
const TRAILING = new RegExp(`${WHITESPACE}+$`);
const ONLY_WHITESPACE = new RegExp(`^${WHITESPACE}*$`);

/** A piece of a run of inline content: text, whose newlines count, or markup, whose newlines do not. */
interface Piece {
  text: string;
  markup: boolean;
}

/**
 * wpautop's reading of newlines, as HTML: inline content between block-level tags is a run; a
 * blank line splits a run into paragraphs (`<p>`), a single newline inside one is a line break
 * (`<br>`, unless one is already there), whitespace next to a block tag is nothing. Block-level
 * HTML the writer typed is left as it is, and so is everything inside `<pre>`. Newlines inside a
 * tag (between attributes) are not text.
 */
export function autoParagraphs(content: string): string {
  const source = content.replace(/\r\n?/g, '\n');
  const out: string[] = [];
  let run: Piece[] = [];
  const endRun = () => {
    out.push(paragraphs(run));
    run = [];
  };
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(source); match; match = TOKEN.exec(source)) {
    const [whole, closing, rawName] = match;
    const name = rawName?.toLowerCase();
    if (name && !closing && VERBATIM.has(name)) {
      // The element as written, to its end tag (or the end of the text).
      const end = new RegExp(`</${name}${WHITESPACE}*>`, 'gi');
      end.lastIndex = TOKEN.lastIndex;
      const found = end.exec(source);
      const stop = found ? found.index + found[0].length : source.length;
      const element = source.slice(match.index, stop);
      TOKEN.lastIndex = stop;
      if (BLOCKS.has(name)) {
        endRun();
        out.push(element);
      } else run.push({ text: element, markup: true });
    } else if (name && BLOCKS.has(name)) {
      endRun();
      out.push(whole);
    } else {
      run.push({ text: whole, markup: Boolean(name) || whole.startsWith('<!--') });
    }
  }
  endRun();
  return out.join('');
}

/** A run as paragraphs: one paragraph stays bare (as wpautop leaves it inside a block element), several are each a `<p>`. */
function paragraphs(run: Piece[]): string {
  const split: Piece[][] = [[]];
  for (const piece of run) {
    if (piece.markup || !piece.text.includes('\n')) {
      split.at(-1)!.push(piece);
      continue;
    }
    piece.text.split(BLANK_LINE).forEach((text, index) => {
      if (index > 0) split.push([]);
      if (text) split.at(-1)!.push({ text, markup: false });
    });
  }
  const html = split.map(lineBreaks).filter((paragraph) => paragraph !== '');
  return html.length > 1 ? html.map((paragraph) => `<p>${paragraph}</p>`).join('\n') : (html[0] ?? '');
}

/** One paragraph: whitespace at its ends dropped, each newline inside it a `<br>` (a newline right after a `<br>` adds none). */
function lineBreaks(pieces: Piece[]): string {
  let html = '';
  let afterBreak = false;
  pieces.forEach((piece, index) => {
    if (piece.markup) {
      html += piece.text;
      afterBreak = /^<br\b/i.test(piece.text);
      return;
    }
    let text = piece.text;
    if (index === 0) text = text.replace(LEADING, '');
    if (index === pieces.length - 1) text = text.replace(TRAILING, '');
    html += text.replace(/[ \t\f\r]*\n/g, (_newline, offset: number) => (offset === 0 && afterBreak ? '\n' : '<br>\n'));
    afterBreak = false;
  });
  return ONLY_WHITESPACE.test(html) ? '' : html;
}
