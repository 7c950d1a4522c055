/** On the element a comment's HTML is rendered into: the comment's id (app/islands/islandData.ts reads the HTML back from it). */
export const BODY_HTML_ATTRIBUTE = 'data-html-of';

/**
 * A comment's text as the server rendered it: markdown-it output with raw HTML disabled
 * (lib/domain/markdown.ts), so no user HTML reaches the page. The reader pages' JSON leaves this
 * HTML out and the browser reads it back from here before hydrating (app/islands/islandData.ts).
 */
export function CommentHtml({ id, html }: { id: string; html: string }) {
  return <div className="comment-body" dir="auto" {...{ [BODY_HTML_ATTRIBUTE]: id }} dangerouslySetInnerHTML={{ __html: html }} />;
}
