import MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';

/**
 * Comment bodies are a small, safe subset of markdown: paragraphs, line breaks,
 * lists, block quotes, emphasis, inline code and links. Raw HTML is never
 * passed through, images are off (they would let a commenter track readers),
 * and every link is marked as user content.
 */
const LINK_REL = 'ugc nofollow noopener';
const ALLOWED_SCHEMES = /^(https?:|mailto:)/i;

/**
 * Block nesting (each quote is one level, each list two) past which the rest of the
 * container is shown as plain text. markdown-it's own guard (`maxNesting`) silently drops
 * everything below it; this keeps the text and keeps the page's DOM shallow.
 */
export const MAX_BLOCK_LEVEL = 16;
/** Links made per comment; further ones are shown as their text (a bare URL stays readable). */
export const MAX_LINKS = 100;

/** A block rule tried first: deep enough, the rest of the container becomes one plain paragraph. */
function flattenTooDeep(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.level < MAX_BLOCK_LEVEL || silent) return false;
  const content = state.getLines(startLine, endLine, state.blkIndent, false).trim();
  state.push('paragraph_open', 'p', 1).map = [startLine, endLine];
  const inline = state.push('inline', '', 0);
  inline.content = content;
  inline.map = [startLine, endLine];
  inline.children = [];
  state.push('paragraph_close', 'p', -1);
  state.line = endLine;
  return true;
}

/** After linkify: past MAX_LINKS, drop the anchors and keep their text, with the address of a `[text](url)` link after it. */
function capLinks(state: StateCore): void {
  let links = 0;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const kept: typeof block.children = [];
    let dropped: string | null = null;
    for (const token of block.children) {
      if (token.type === 'link_open' && ++links > MAX_LINKS) {
        // linkify and <autolink> links show their address as their text already.
        dropped = token.markup === 'linkify' || token.markup === 'autolink' ? '' : ` (${token.attrGet('href') ?? ''})`;
        continue;
      }
      if (token.type === 'link_close' && dropped !== null) {
        if (dropped) kept.push(Object.assign(new state.Token('text', '', 0), { content: dropped }));
        dropped = null;
        continue;
      }
      kept.push(token);
    }
    block.children = kept;
  }
}

function createRenderer(): MarkdownIt {
  const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false });
  md.enable(['paragraph', 'list', 'blockquote', 'newline', 'escape', 'backticks', 'emphasis', 'strikethrough', 'link', 'autolink', 'linkify', 'entity']);
  // markdown-it already refuses javascript:, vbscript: and data: URLs; allow only what a reader can safely follow.
  md.validateLink = (url) => ALLOWED_SCHEMES.test(url.trim());
  md.block.ruler.before('table', 'flatten_too_deep', flattenTooDeep);
  md.core.ruler.after('linkify', 'cap_links', capLinks);
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

/**
 * The addresses a reader could follow in a comment, exactly as the renderer links them:
 * `[text](url)`, `<url>`, and bare addresses (`https://…`, `www.…`, `example.com/x`, an e-mail
 * address). The spam check's "link in a first comment" reads this (lib/services/spam).
 */
export function linksIn(body: string): string[] {
  const links: string[] = [];
  for (const block of renderer.parse(body, {})) {
    for (const token of block.children ?? []) if (token.type === 'link_open') links.push(token.attrGet('href') ?? '');
  }
  return links;
}

/** Whether plain text (an author's name, never rendered as markdown) holds an address the renderer would link in a comment. */
export function hasAddress(text: string): boolean {
  return renderer.linkify.test(text);
}
