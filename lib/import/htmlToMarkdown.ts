import { decodeHTML } from 'entities';

/**
 * A comment body from Disqus or WordPress (HTML) as Threadline's markdown source.
 * Nothing of the HTML survives as HTML: tags are dropped, keeping paragraphs, line
 * breaks, links (http, https, mailto), emphasis, code, quotes and list items as
 * markdown; script and style contents are dropped; entities are decoded; characters
 * markdown would read as syntax are escaped so the text renders as it read.
 */
export function htmlToMarkdown(html: string): string {
  const out: string[] = [];
  /** Open `<a>` and `<blockquote>`: where their content starts in `out`. */
  const open: { tag: 'a' | 'blockquote'; start: number; href?: string }[] = [];
  let skipUntil: string | null = null;
  let pre = 0;
  let code = 0;

  const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>|<|[^<]+/g;
  for (const match of html.matchAll(TOKEN)) {
    const [whole, closing, rawName, attrs] = match;
    if (whole.startsWith('<!--')) continue;
    const name = rawName?.toLowerCase();
    if (skipUntil) {
      if (closing && name === skipUntil) skipUntil = null;
      continue;
    }
    if (!name) {
      const text = decodeHTML(whole);
      out.push(pre ? text : code ? text.replace(/\s+/g, ' ') : escapeMarkdown(text.replace(/\s+/g, ' ')));
      continue;
    }
    switch (name) {
      case 'script':
      case 'style':
        if (!closing) skipUntil = name;
        break;
      case 'p':
      case 'div':
      case 'ul':
      case 'ol':
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        out.push('\n\n');
        break;
      case 'br':
        out.push('\n');
        break;
      case 'li':
        if (!closing) out.push('\n- ');
        break;
      case 'b':
      case 'strong':
        out.push('**');
        break;
      case 'i':
      case 'em':
        out.push('*');
        break;
      case 's':
      case 'del':
      case 'strike':
        out.push('~~');
        break;
      case 'code':
        if (!pre) {
          out.push('`');
          code = Math.max(0, code + (closing ? -1 : 1));
        }
        break;
      case 'pre':
        out.push(closing ? '\n```\n\n' : '\n\n```\n');
        pre = Math.max(0, pre + (closing ? -1 : 1));
        break;
      case 'a':
        if (!closing) open.push({ tag: 'a', start: out.length, href: attribute(attrs ?? '', 'href') });
        else closeLink();
        break;
      case 'blockquote':
        if (!closing) {
          out.push('\n\n');
          open.push({ tag: 'blockquote', start: out.length });
        } else closeQuote();
        break;
      default:
        // Any other tag (span, img, iframe, font…) is dropped; its text, if any, stays.
        break;
    }
  }
  while (open.length) {
    if (open.at(-1)!.tag === 'a') closeLink();
    else closeQuote();
  }
  return tidy(out.join(''));

  function closeLink(): void {
    const index = open.findLastIndex((o) => o.tag === 'a');
    if (index < 0) return;
    const { start, href } = open.splice(index, 1)[0]!;
    const text = out.splice(start).join('').trim();
    const url = href && /^(https?:|mailto:)/i.test(href) ? href.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`) : undefined;
    if (!url) out.push(text);
    else if (!text || text === escapeMarkdown(href!)) out.push(`<${url}>`);
    else out.push(`[${text}](${url})`);
  }

  function closeQuote(): void {
    const index = open.findLastIndex((o) => o.tag === 'blockquote');
    if (index < 0) return;
    const { start } = open.splice(index, 1)[0]!;
    const text = tidy(out.splice(start).join(''));
    out.push(text.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n'), '\n\n');
  }
}

function attribute(attrs: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attrs);
  const value = match?.[1] ?? match?.[2] ?? match?.[3];
  return value === undefined ? undefined : decodeHTML(value).trim();
}

/** Characters markdown reads as inline syntax, so literal text stays literal. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]~]/g, '\\$&');
}

/**
 * A line starting `+ ` or `1. ` would become a list item: escaped. (`- ` items come from `<li>`;
 * `> ` lines from `<blockquote>` or a writer quoting by hand, which reads the same.) Blank runs
 * squeezed, ends trimmed; a fenced block is left as it is.
 */
function tidy(text: string): string {
  let fenced = false;
  const lines = text.split('\n').map((line) => {
    if (line.trim() === '```') fenced = !fenced;
    if (fenced) return line.trimEnd();
    return line
      .replace(/^[ \t]+/, '')
      .trimEnd()
      .replace(/^(\+|\d+)(?=[.)]? )/, (m) => (m === '+' ? '\\+' : m))
      .replace(/^(\d+)([.)])(?= )/, '$1\\$2');
  });
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
