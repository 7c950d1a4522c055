/**
 * What the embed's parts agree on: the server, the framed page (app/embed) and
 * the host page's script (server/embed/embed.js, plain JavaScript, which spells
 * the same strings; docs/embed.md lists the messages).
 */

/** Set by the server on an embed page's request (client copies are dropped): the theme the host asked for. */
export const EMBED_THEME_HEADER = 'x-threadline-embed-theme';

/**
 * Set by the server on an embed page's request (client copies are dropped): the host article's
 * address that permalinks lead to, the one the thread was opened for or else a `url` on a site in
 * EMBED_ORIGINS; absent when there is none (server/embed/embedGate.ts).
 */
export const EMBED_URL_HEADER = 'x-threadline-embed-url';

/** A comment's fragment on the host page: `#threadline-comment-<id>`. */
export const HOST_COMMENT_PREFIX = 'threadline-comment-';

/** postMessage types, framed page → host page. */
export const TO_HOST = {
  ready: 'threadline:ready',
  /** `height`, and `shift`: how far the content on the reader's screen moved down with it (the host scrolls as far). */
  height: 'threadline:height',
  /** `id`, `top`: a comment the reader is taken to (a permalink, what arrived), from the frame's top; the host scrolls there. */
  commentOffset: 'threadline:comment-offset',
  /** After a sign-in token was handed over: `changed` (the host tells its other frames), or `refused` (the reason). */
  session: 'threadline:session',
} as const;

/** postMessage types, host page → framed page. */
export const TO_FRAME = {
  theme: 'threadline:theme',
  showComment: 'threadline:show-comment',
  /** `top`: where the host's screen starts, in the frame's coordinates (negative while the frame's top is on screen); `height`: the screen's. */
  view: 'threadline:view',
  /** `token`: the host's sign-in token for its user, or null (nobody is signed in there); the frame swaps it for a session. */
  sso: 'threadline:sso',
  /** Another frame on the page changed the session: re-read who is signed in. */
  sessionChanged: 'threadline:session-changed',
} as const;

/** A host article's address as permalinks use it: http(s) only, without its fragment; null for anything else. */
export function hostPageUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

/** The longest host article address the embed takes (`url`, a token's `url`). */
export const MAX_PAGE_URL = 2048;
/** The longest thread title an embed opens a thread with, in characters. */
export const MAX_TITLE = 300;

/** Every control character (C0, DEL, C1) and the bidi overrides, which a title has no use for. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A title from a host (a token's, an article page's): unprintables dropped, whitespace collapsed, cut at MAX_TITLE characters. */
export function cleanTitle(raw: string): string {
  const clean = raw.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  return [...clean].slice(0, MAX_TITLE).join('').trim();
}
