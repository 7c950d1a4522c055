/**
 * Which reader page requests (`/articles/<slug>`, `/articles/<slug>/comments/<id>`, `/embed/<slug>`) get
 * the same HTML whoever asks, so a shared cache may answer them: every one, except the pages the
 * no-JavaScript flows send one reader back to, whose query says what happened to that reader's post or like
 * (docs/decisions.md, "Nothing personal in a reader page"). A page depends on nothing of the reader's
 * otherwise: its address (path and query: `sort`, `after`, `until`; the embed's `theme`, `url` and
 * opening token) and the language Accept-Language negotiates (the embed's is always English).
 */

/**
 * Query parameters that make a page one reader's: `?error=`/`?field=` (a refused post), `?held=<id>` (a post
 * held for review), `?posted=<id>` (a post stored: the reader must see it, not a cache's copy from a second
 * before), `?replyTo=` (a reply box opened without JavaScript), `?liked=<id>`, `?unliked=<id>` and `?likeError=`
 * (a like's answer: after an unlike too, a cache's copy from before would still count the like).
 */
export const PER_READER_PARAMS = ['error', 'field', 'held', 'posted', 'replyTo', 'liked', 'unliked', 'likeError'] as const;

/** What the no-JavaScript forms' redirects add once they did what the reader asked (server/http/formRoutes.ts). */
export const FORM_DONE = { posted: 'posted', liked: 'liked', unliked: 'unliked' } as const satisfies Record<string, (typeof PER_READER_PARAMS)[number]>;

/** Whether a reader page with this query is the same for everyone (`query`: the URL's, or Next.js's parsed one). */
export function isSharedReaderRequest(query: URLSearchParams | Partial<Record<string, string | string[]>>): boolean {
  return !PER_READER_PARAMS.some((name) => (query instanceof URLSearchParams ? query.has(name) : query[name] !== undefined));
}
