// @ts-expect-error -- the package's own types declare a module named 'domino', not this name.
import domino from '@mixmark-io/domino';
import { decodeHTML } from 'entities';
import TurndownService from 'turndown';

/**
 * A comment body from Disqus or WordPress (HTML) as Threadline's markdown source, written for
 * what the board renders (lib/domain/markdown.ts): paragraphs, line breaks (a single newline is
 * one), lists, quotes, emphasis, strikethrough, inline code, links, and addresses linked bare.
 * No headings, rules, code blocks, tables or images: those are written with what there is.
 *
 * The HTML is parsed as a browser parses it (domino, the DOM turndown uses in Node), so what a
 * reader saw is what is converted; turndown writes the markdown, with rules for the board's
 * subset. Nothing passes through as HTML; only http, https and mailto links stay links; script,
 * style and embedded content are dropped; entities are decoded; text that markdown would read as
 * syntax is escaped, so the comment reads as it did.
 */
export function htmlToMarkdown(html: string): string {
  // An HTML parser's work grows with the square of nesting (a browser's too): past this many
  // tags, a comment (of nested lists, say) would hold an import up for minutes.
  if (startTags(html) > MAX_TAGS) return htmlToPlainMarkdown(html);
  try {
    // Parsed as the inside of a page's body, where the comment was shown.
    const body = (domino as { createDocument(html: string): Document }).createDocument(`<body>${html}`).body;
    prepare(body);
    return tidy(converter.turndown(body));
  } catch {
    // Nothing known reaches here (see prepare); an import must not stop on one comment's markup.
    return htmlToPlainMarkdown(html);
  }
}

function startTags(html: string): number {
  let count = 0;
  for (let at = html.indexOf('<'); at >= 0 && count <= MAX_TAGS; at = html.indexOf('<', at + 1)) if (/[a-zA-Z]/.test(html[at + 1] ?? '')) count++;
  return count;
}

/**
 * The words of HTML as markdown text, for HTML the converter could not read: tags dropped (a
 * line break where a block or `<br>` was), script and style dropped, entities decoded, the text
 * escaped. No formatting, but nothing lost that a reader saw as words.
 */
export function htmlToPlainMarkdown(html: string): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<\/?(?:p|div|br|li|tr|dt|dd|h[1-6]|blockquote|pre|table|ul|ol|dl)\b[^<>]*>/gi, '\n')
    .replace(/<\/?[a-zA-Z][^<>]*>/g, '');
  return tidy(
    decodeHTML(text)
      .split('\n')
      .map((line) => escapeText(line.replace(/\s+/g, ' ').trim()))
      .join('\n'),
  );
}

/** Schemes a reader may follow: the board allows the same. */
const SAFE_HREF = /^(https?:|mailto:)/i;
/** Content a reader did not see as text. (Images too: the board shows none, and their address is not the comment's text.) */
const DROPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'CANVAS', 'IMG', 'COLGROUP', 'COL']);
const INLINE_CODE = new Set(['CODE', 'KBD', 'SAMP', 'TT']);
/** Elements a line ends at: `<br>` and the block elements. */
const LINE_ENDS = new Set(
  'BR P DIV LI UL OL DL DT DD BLOCKQUOTE PRE TABLE CAPTION THEAD TBODY TFOOT TR TD TH H1 H2 H3 H4 H5 H6 HR ADDRESS ARTICLE ASIDE CENTER DETAILS SUMMARY FIELDSET FIGCAPTION FIGURE FOOTER FORM HEADER MAIN NAV SECTION BODY'.split(' '),
);
/** Elements styled alike, by the delimiter they are written with. */
const STYLES: Record<string, string> = { B: '**', STRONG: '**', I: '*', EM: '*', S: '~~', DEL: '~~', STRIKE: '~~' };
/** Start tags past which a comment is read as plain text (see htmlToMarkdown); real comments have a few dozen. */
const MAX_TAGS = 10_000;
/** Element nesting kept as it is; deeper, an element is its text (see prepare). */
const MAX_DEPTH = 100;
/** Element names domino can copy (its createElement's rule, narrowed to what HTML uses). */
const COPYABLE_NAME = /^[A-Za-z][A-Za-z0-9._:-]*$/;
/** A list marker the board reads has at most nine digits. */
const MAX_LIST_NUMBER = 999_999_999;

const converter = createConverter();

function createConverter(): TurndownService {
  const service = new TurndownService({ bulletListMarker: '-', emDelimiter: '*', strongDelimiter: '**', br: '  ' });
  service.escape = escapeText;

  // The board renders no headings or rules: a heading is its own paragraph, a rule a paragraph break.
  service.addRule('heading', { filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], replacement: (content) => `\n\n${content}\n\n` });
  service.addRule('horizontalRule', { filter: 'hr', replacement: () => '\n\n' });

  service.addRule('listItem', { filter: 'li', replacement: listItem });
  service.addRule('definitionTerm', { filter: 'dt', replacement: (content) => `\n\n${trimNewlines(content)}\n` });
  service.addRule('definition', { filter: 'dd', replacement: (content) => `\n${trimNewlines(content)}\n` });

  service.addRule('table', { filter: 'table', replacement: (content) => `\n\n${trimNewlines(content)}\n\n` });
  service.addRule('tableSection', { filter: ['thead', 'tbody', 'tfoot', 'caption'], replacement: (content) => `\n${trimNewlines(content)}\n` });
  service.addRule('tableRow', { filter: 'tr', replacement: tableRow });
  service.addRule('tableCell', { filter: ['th', 'td'], replacement: tableCell });

  service.addRule('strong', { filter: ['strong', 'b'], replacement: (content, node) => delimit(content, node, '**') });
  service.addRule('emphasis', { filter: ['em', 'i'], replacement: (content, node) => delimit(content, node, '*') });
  service.addRule('strikethrough', { filter: (node) => ['S', 'DEL', 'STRIKE'].includes(node.nodeName), replacement: (content, node) => delimit(content, node, '~~') });
  service.addRule('quotation', { filter: 'q', replacement: (content) => `“${content}”` });

  service.addRule('preformatted', { filter: (node) => node.nodeName === 'PRE', replacement: (_content, node) => preformatted(node) });
  service.addRule('code', { filter: (node) => INLINE_CODE.has(node.nodeName), replacement: (_content, node) => inlineCode(node) });
  service.addRule('link', { filter: 'a', replacement: link });
  // Added last, so tried first (before turndown's own image rule, say).
  service.addRule('dropped', { filter: (node) => DROPPED.has(node.nodeName), replacement: () => '' });
  return service;
}

/**
 * The parsed comment made safe and plain for turndown, in one pass that does not recurse:
 * - nesting past MAX_DEPTH becomes its text (turndown and domino's copy recurse per level, and a
 *   few thousand levels would overflow the stack; the board shows 16 block levels at most);
 * - an element with a name domino cannot copy (`<img\x47src=x>` parses as an element of that
 *   name, and turndown copies the tree) is replaced by its content, as a browser shows it;
 * - `<b>a</b><b>b</b>` becomes one `<b>`: written one by one, markdown would read `**a****b**` as
 *   one bold run with four asterisks in it. (Different styles side by side, `**a***b*`, read right.)
 */
function prepare(root: Element): void {
  const stack: [Element, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    const children = Array.from(element.childNodes).filter((child): child is Element => child.nodeType === 1);
    for (const child of children.reverse()) {
      if (depth + 1 >= MAX_DEPTH) element.replaceChild(element.ownerDocument.createTextNode(` ${textIn(child)} `), child);
      else if (!COPYABLE_NAME.test(child.nodeName)) {
        while (child.firstChild) element.insertBefore(child.firstChild, child);
        element.removeChild(child);
        // Its content, now the element's own children, is looked at again with the element.
        stack.push([element, depth]);
      } else stack.push([child, depth + 1]);
    }
  }
  joinAdjacentStyles(root);
}

/** The text of an element and everything in it, without recursion. */
function textIn(element: Element): string {
  let text = '';
  const stack: Node[] = [element];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === 3) text += node.nodeValue ?? '';
    else if (node.nodeType === 1 && !DROPPED.has(node.nodeName)) stack.push(...Array.from(node.childNodes).reverse());
  }
  return text;
}

function joinAdjacentStyles(root: Element): void {
  for (const element of Array.from(root.querySelectorAll('b, strong, i, em, s, del, strike'))) {
    let previous = element.previousSibling;
    while (previous?.nodeType === 8) previous = previous.previousSibling;
    if (!previous || previous.nodeType !== 1 || STYLES[previous.nodeName] !== STYLES[element.nodeName]) continue;
    while (element.firstChild) previous.appendChild(element.firstChild);
    element.remove();
  }
}

/**
 * Text characters the board would read as syntax, escaped with a backslash (which the board
 * shows as the character itself). Turndown calls this once per text node: the line-start rules
 * apply where a text node starts, which is every place a line can start in the output.
 */
function escapeText(text: string): string {
  return (
    text
      .replace(/[\\`*_[\]~]/g, '\\$&')
      // `&amp;` as text must not become `&` on the page.
      .replace(/&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[a-zA-Z][a-zA-Z0-9]{1,31};)/g, '\\&')
      // A line starting `- `, `+ `, `>` or `1. ` / `1) ` would become a list or a quote.
      .replace(/^(\s*)(>|[-+](?=\s|$))/, '$1\\$2')
      .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
  );
}

function listItem(content: string, node: HTMLElement): string {
  const parent = node.parentNode as HTMLElement | null;
  let marker = '- ';
  if (parent?.nodeName === 'OL') {
    const start = Number.parseInt(parent.getAttribute('start') ?? '', 10);
    const first = Number.isSafeInteger(start) && start >= 0 ? start : 1;
    marker = `${Math.min(first + Array.prototype.indexOf.call(parent.children, node), MAX_LIST_NUMBER)}. `;
  }
  // A list item's continuation lines are indented to its text, or the board ends the list.
  const body = trimNewlines(content).replace(/\n/g, `\n${' '.repeat(marker.length)}`);
  const spaced = /\n$/.test(content) ? '\n' : '';
  return marker + body + spaced + (node.nextSibling ? '\n' : '');
}

/** A row on one line, its cells apart: the board has no tables, and cells run together would join their words. */
function tableRow(content: string): string {
  const row = content.trim();
  if (/^[|\s]*$/.test(row)) return '';
  return `\n${escapeLineStart(row)}\n`;
}

function tableCell(content: string, node: HTMLElement): string {
  const separator = node.previousElementSibling && ['TD', 'TH'].includes(node.previousElementSibling.nodeName) ? ' | ' : '';
  return separator + flatten(content);
}

/**
 * Content wrapped in `**`, `*` or `~~`, line by line (a pair cannot span a paragraph break).
 * Where markdown would not read the pair as styling (`x**:**y`: a delimiter between a letter
 * and punctuation), it is left out: the words stay as they were, without the styling, rather
 * than showing stray asterisks.
 */
function delimit(content: string, node: HTMLElement, delimiter: string): string {
  // Bold inside bold is no bolder: `****x****` would say nothing more.
  for (let parent = node.parentNode; parent; parent = parent.parentNode) if (STYLES[parent.nodeName] === delimiter) return content;
  const parts = content.split(/(\s*\n\s*)/);
  return parts
    .map((part, index) => {
      if (index % 2 === 1 || !part.trim()) return part;
      const before = index === 0 ? adjacentChar(node, 'before') : ' ';
      const after = index === parts.length - 1 ? adjacentChar(node, 'after') : ' ';
      return opens(part, before) && closes(part, after) ? delimiter + part + delimiter : part;
    })
    .join('');
}

/** CommonMark's left-flanking rule: `**` before `part`, with `before` on its other side. */
function opens(part: string, before: string): boolean {
  const first = part[0] ?? ' ';
  return !isSpace(first) && (!isPunctuation(first) || isSpace(before) || isPunctuation(before));
}

/** CommonMark's right-flanking rule: `**` after `part`, with `after` on its other side. */
function closes(part: string, after: string): boolean {
  const last = part.at(-1) ?? ' ';
  return !isSpace(last) && (!isPunctuation(last) || isSpace(after) || isPunctuation(after));
}

const isSpace = (char: string): boolean => /^\s$/u.test(char);
const isPunctuation = (char: string): boolean => /^[\p{P}\p{S}]$/u.test(char);

/** The character a reader sees next to an inline element, or a space where a line starts or ends there. */
function adjacentChar(node: Node, side: 'before' | 'after'): string {
  for (let current: Node | null = node; current; current = current.parentNode) {
    for (let sibling = step(current, side); sibling; sibling = step(sibling, side)) {
      // Comments and dropped elements show nothing.
      if ((sibling.nodeType !== 1 && sibling.nodeType !== 3) || DROPPED.has(sibling.nodeName)) continue;
      if (LINE_ENDS.has(sibling.nodeName)) return ' ';
      const text = sibling.textContent ?? '';
      if (text) return side === 'before' ? text.at(-1)! : text[0]!;
    }
    const parent: Node | null = current.parentNode;
    if (!parent || LINE_ENDS.has(parent.nodeName)) return ' ';
  }
  return ' ';
}

const step = (node: Node, side: 'before' | 'after'): Node | null => (side === 'before' ? node.previousSibling : node.nextSibling);

/**
 * Preformatted text, one line of code per line (a single newline is a line break on the
 * board); blank lines are paragraph breaks. The board has no code blocks, and a fence would
 * read as one code span whose line breaks are lost, or as stray backticks around a blank line.
 */
function preformatted(node: Node): string {
  const lines = textOf(node).replace(/^\n+|\s+$/g, '').split('\n');
  const markdown = lines.map((line) => (line.trim() ? codeSpan(line.replace(/\t/g, '    ')) : '')).join('\n');
  return `\n\n${markdown}\n\n`;
}

/** Text as a code span: a backtick run longer than any inside it, padded where the text starts or ends with a backtick. */
function codeSpan(text: string): string {
  if (!text.trim()) return '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return fence + pad + text + pad + fence;
}

/**
 * The text of code as a reader saw it: `<br>` and block elements (`<p>` inside `<code>`) end a
 * line; dropped elements (script…) give nothing.
 */
function textOf(node: Node): string {
  let text = '';
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 3) text += child.nodeValue ?? '';
    else if (child.nodeType !== 1 || DROPPED.has(child.nodeName)) continue;
    else if (child.nodeName === 'BR') text += '\n';
    else if (LINE_ENDS.has(child.nodeName)) text += `\n${textOf(child)}\n`;
    else text += textOf(child);
  }
  return text;
}

/**
 * Inline code as code spans: its whitespace collapsed, as a browser shows it, but a `<br>` or a
 * block inside it (`<p>` inside `<code>`) ends a line there too. With a block inside, the code
 * is a block of its own, as the browser showed it: the text around it is not run into it.
 */
function inlineCode(node: Node): string {
  const lines = textOf(node)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const spans = lines.map(codeSpan).join('\n');
  return containsBlock(node) ? `\n\n${spans}\n\n` : spans;
}

function containsBlock(node: Node): boolean {
  return Array.from(node.childNodes).some((child) => child.nodeType === 1 && ((LINE_ENDS.has(child.nodeName) && child.nodeName !== 'BR') || containsBlock(child)));
}

/**
 * A link the board will show as one: `[text](url)` for http, https and mailto; `<url>` when its
 * text is empty (an image link, say) or the address itself; just its text for any other scheme.
 */
function link(content: string, node: HTMLElement): string {
  const href = (node.getAttribute('href') ?? '').trim();
  const text = flatten(content);
  if (!SAFE_HREF.test(href)) return text;
  // What would end the address in markdown, percent-encoded (the same address to a browser).
  const url = href.replace(/[\s()<>\\\p{Cc}]/gu, percentEncoded);
  if (!text || text === escapeText(href)) return `<${url}>`;
  return `[${text}](${url})`;
}

function percentEncoded(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x80 ? `%${code.toString(16).padStart(2, '0').toUpperCase()}` : encodeURIComponent(char);
}

/** Content made one line (for a link's text or a table cell): the board cannot break either across lines. */
function flatten(content: string): string {
  return content.replace(/\s*\n\s*/g, ' ').trim();
}

function escapeLineStart(line: string): string {
  return line.replace(/^(>|[-+*](?=\s|$))/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

function trimNewlines(text: string): string {
  return text.replace(/^\n+|\n+$/g, '');
}

/** Lines' trailing spaces (turndown's `  ` before a line break) dropped: a single newline is a line break on the board. Blank runs squeezed, ends trimmed. */
function tidy(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
