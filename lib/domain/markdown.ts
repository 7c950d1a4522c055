import MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { displayNameKey } from './identity';
import { longestMatch, mentionSigns, MAX_MENTION_SIGNS } from './mentionText';
import type { MentionRef } from './types';

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

/** Where a mention links: the person's public page (app/people/[id]). */
export function personPath(id: string): string {
  return `/people/${encodeURIComponent(id)}`;
}

/** What a render is given besides the text: the people its `@Name`s resolved to, by display-name key. */
interface RenderEnv {
  mentions?: ReadonlyMap<string, string>;
}

/**
 * The plain text of each inline block a reader sees as words: outside code spans and links
 * (addresses, e-mail addresses, `[text](url)`), in order. Both the mention parser
 * (./mentions.ts) and the rendering of mentions (mentionLinks) read exactly this text.
 */
function forEachPlainText(tokens: Token[], visit: (token: Token, children: Token[], index: number) => void): void {
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    let inLink = 0;
    block.children.forEach((token, index, children) => {
      if (token.type === 'link_open') inLink++;
      else if (token.type === 'link_close') inLink--;
      else if (token.type === 'text' && inLink === 0) visit(token, children, index);
    });
  }
}

/**
 * After the links are capped: each `@Name` that resolved to a person (env.mentions) becomes a
 * link to their page, the longest name first as when it was resolved; links made in all stay
 * within MAX_LINKS (one person named 500 times is linked as often as the cap allows).
 */
function mentionLinks(state: StateCore): void {
  const mentions = (state.env as RenderEnv | undefined)?.mentions;
  if (!mentions || mentions.size === 0) return;
  let links = 0;
  for (const block of state.tokens) for (const token of block.children ?? []) if (token.type === 'link_open') links++;
  const replaced = new Map<Token, Token[]>();
  let signs = 0;
  forEachPlainText(state.tokens, (token) => {
    if (links >= MAX_LINKS || signs >= MAX_MENTION_SIGNS) return;
    const found = mentionSigns(token.content, MAX_MENTION_SIGNS - signs);
    signs += found.length;
    const parts: Token[] = [];
    let from = 0;
    for (const sign of found) {
      if (sign.at < from || links >= MAX_LINKS) continue;
      const match = longestMatch(sign, mentions);
      if (!match) continue;
      const end = sign.at + 1 + match.name.length;
      if (sign.at > from) parts.push(textToken(state, token.content.slice(from, sign.at)));
      const open = new state.Token('link_open', 'a', 1);
      open.attrs = [['href', personPath(match.id)], ['class', 'mention']];
      open.markup = 'mention';
      parts.push(open, textToken(state, token.content.slice(sign.at, end)), new state.Token('link_close', 'a', -1));
      links++;
      from = end;
    }
    if (parts.length === 0) return;
    if (from < token.content.length) parts.push(textToken(state, token.content.slice(from)));
    replaced.set(token, parts);
  });
  if (replaced.size === 0) return;
  for (const block of state.tokens) {
    if (block.children) block.children = block.children.flatMap((token) => replaced.get(token) ?? [token]);
  }
}

function textToken(state: StateCore, content: string): Token {
  return Object.assign(new state.Token('text', '', 0), { content });
}

function createRenderer(): MarkdownIt {
  const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false });
  md.enable(['paragraph', 'list', 'blockquote', 'newline', 'escape', 'backticks', 'emphasis', 'strikethrough', 'link', 'autolink', 'linkify', 'entity']);
  // markdown-it already refuses javascript:, vbscript: and data: URLs; allow only what a reader can safely follow.
  md.validateLink = (url) => ALLOWED_SCHEMES.test(url.trim());
  md.block.ruler.before('table', 'flatten_too_deep', flattenTooDeep);
  md.core.ruler.after('linkify', 'cap_links', capLinks);
  // Last, after text_join: the text is in the same runs as plainTextRuns reads.
  md.core.ruler.push('mention_links', mentionLinks);
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    token.attrSet('rel', LINK_REL);
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

const renderer = createRenderer();

/**
 * Safe HTML for a comment body; user text never reaches the page as raw HTML. `mentions`: the
 * people its `@Name`s resolved to when it was stored (Comment.mentions), linked to their pages.
 */
export function renderCommentHtml(body: string, mentions?: readonly MentionRef[]): string {
  if (!mentions || mentions.length === 0) return renderer.render(body);
  const env: RenderEnv = { mentions: new Map(mentions.map((m) => [displayNameKey(m.name), m.id])) };
  return renderer.render(body, env);
}

/** The plain text runs of a comment (outside code and links), where its `@Name`s are looked for (./mentions.ts). */
export function plainTextRuns(body: string): string[] {
  const runs: string[] = [];
  forEachPlainText(renderer.parse(body, {}), (token) => runs.push(token.content));
  return runs;
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
