import MarkdownIt from 'markdown-it';

/**
 * Comment bodies are a small, safe subset of markdown: paragraphs, line breaks,
 * lists, block quotes, emphasis, inline code and links. Raw HTML is never
 * passed through, images are off (they would let a commenter track readers),
 * and every link is marked as user content.
 */
const LINK_REL = 'ugc nofollow noopener';
const ALLOWED_SCHEMES = /^(https?:|mailto:)/i;

function createRenderer(): MarkdownIt {
  const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false });
  md.enable(['paragraph', 'list', 'blockquote', 'newline', 'escape', 'backticks', 'emphasis', 'strikethrough', 'link', 'autolink', 'linkify', 'entity']);
  // markdown-it already refuses javascript:, vbscript: and data: URLs; allow only what a reader can safely follow.
  md.validateLink = (url) => ALLOWED_SCHEMES.test(url.trim());
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    token.attrSet('rel', LINK_REL);
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

const renderer = createRenderer();

/** Safe HTML for a comment body; user text never reaches the page as raw HTML. */
export function renderCommentHtml(body: string): string {
  return renderer.render(body);
}
