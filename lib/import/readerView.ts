import { decodeHTML } from 'entities';
import { renderCommentHtml } from '../domain/markdown';

/**
 * What a reader of the board sees of a comment body, for the importers' tests: the board's own
 * rendering (lib/domain/markdown.ts) as text, a line break as a newline, paragraphs, list items
 * and quotes apart by a blank line; and the addresses its links go to.
 */
export function readerView(markdown: string): { html: string; text: string; hrefs: string[] } {
  const html = renderCommentHtml(markdown);
  const text = decodeHTML(
    html
      .replace(/<br>\n?/g, '\n')
      .replace(/<\/(p|li|blockquote|ul|ol)>\n?/g, '\n\n')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[ \t]*\n[ \t]*/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => decodeHTML(match[1]!));
  return { html, text, hrefs };
}
