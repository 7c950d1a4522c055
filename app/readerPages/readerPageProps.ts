import { CommentIdSchema, CursorSchema, UNTIL_END, UNTIL_PARAM, UntilSchema, cursorFitsSort } from '../../lib/contract';
import { EMBED_THEME_HEADER, EMBED_URL_HEADER, hostPageUrl } from '../../lib/domain/embed';
import { isSharedReaderRequest } from '../../lib/domain/sharedPage';
import { firstParam, staffOf } from '../components/requestViewer';
import { DEFAULT_LOCALE, translatorFor, type Locale } from '../i18n/locales';
import type { ThreadIslandData } from '../islands/islandData';
import { islandScripts } from '../islands/islandScripts';
import type { ReaderPageProps } from './ReaderPage';
import { localeOf, nonceOf, type ReaderRequest } from './readerRequest';
import { renderThreadIsland } from './renderIsland';
import { liveThreadBase, loadThreadPage, sortFrom, wordsHoldUntil } from './threadData';

/**
 * A reader page to render, with its status: 404 when there is no such thread (or comment). Nothing in it
 * is the reader's (what is arrives after load: GET /api/threads/<slug>/viewer). `shareable`: the same
 * bytes for everyone who asks with this address and language, so a shared cache may keep it; false for
 * the no-JavaScript flows' pages (lib/domain/sharedPage.ts) and for a hidden thread, which staff see and
 * everyone else finds missing.
 */
export interface ReaderPageResult {
  status: 200 | 404;
  shareable: boolean;
  /** When the page's words go out of date (a closing countdown: threadData.ts, wordsHoldUntil); null: never. */
  holdsUntil: number | null;
  props: ReaderPageProps;
}

/** The site's header and footer around a page: the same for everyone (a moderator's links fill their slot after load). */
const CHROME: NonNullable<ReaderPageProps['chrome']> = { staffSlot: true };

/**
 * Whether the reader may see a hidden thread, asked only when the thread is hidden; `asked` tells the
 * page it then depended on who reads it.
 */
function hiddenCheck(request: ReaderRequest) {
  const check = {
    asked: false,
    seesHidden: async () => {
      check.asked = true;
      return (await staffOf(request.headers)) !== null;
    },
  };
  return check;
}

/** The discussion, rendered, with the data and the script that hydrate it. */
function island(request: ReaderRequest, data: ThreadIslandData): NonNullable<ReaderPageProps['island']> {
  return { kind: data.kind, ...renderThreadIsland(data), script: islandScripts().script('thread', data.locale), nonce: nonceOf(request) };
}

type Shell = Pick<ReaderPageProps, 'document' | 'chrome'>;

function notFound(locale: Locale, shell: Shell, shareable: boolean): ReaderPageResult {
  return { status: 404, shareable, holdsUntil: null, props: { ...shell, locale, title: translatorFor(locale).t('notFound.title'), feed: null, article: null, island: null } };
}

/** A page that was found: the shell around what the page itself says (its title, feed, story and discussion). */
function found(locale: Locale, shell: Shell, shareable: boolean, thread: Parameters<typeof wordsHoldUntil>[0], page: Pick<ReaderPageProps, 'title' | 'feed' | 'picksFeed' | 'article' | 'island'>): ReaderPageResult {
  return { status: 200, shareable, holdsUntil: wordsHoldUntil(thread), props: { ...shell, locale, ...page } };
}

/** `/articles/<slug>`: the story and its discussion. */
export async function articlePage(request: ReaderRequest, slug: string): Promise<ReaderPageResult> {
  const { query } = request;
  const locale = localeOf(request);
  const hidden = hiddenCheck(request);
  const shell = { document: { lang: locale, className: null }, chrome: CHROME };
  // `?after=`: the no-JavaScript "More comments" link; a bad cursor just shows the first page.
  const after = CursorSchema.safeParse(firstParam(query.after));
  const sort = sortFrom(query.sort);
  const afterCursor = after.success && cursorFitsSort(sort, after.data);
  // `?until=`: the pages the reader had loaded with "More comments" (set by the page as they load), back after a reload.
  const until = UntilSchema.safeParse(firstParam(query[UNTIL_PARAM]));
  const untilFits = until.success && (until.data === UNTIL_END || cursorFitsSort(sort, until.data));
  const page = await loadThreadPage({ slug, sort, seesHidden: hidden.seesHidden, ...(afterCursor && { after: after.data }), ...(untilFits && { until: until.data }) });
  const shareable = isSharedReaderRequest(query) && !hidden.asked;
  if (!page) return notFound(locale, shell, shareable);
  const replyTo = CommentIdSchema.safeParse(firstParam(query.replyTo));
  const error = firstParam(query.error);
  const base = liveThreadBase(page);
  // `?liked=`: the no-JavaScript like's answer, for this reader alone (not shared): that comment shows as theirs.
  const liked = firstParam(query.liked);
  const thread = {
    ...base,
    comments: liked === undefined ? base.comments : base.comments.map((c) => (c.id === liked ? { ...c, likedByMe: true } : c)),
    sort: page.sort,
    rootId: null,
    replyTo: replyTo.success ? replyTo.data : null,
    formError: error ? { code: error, field: firstParam(query.field) ?? null } : null,
    held: firstParam(query.held) !== undefined,
    likeError: firstParam(query.likeError) ?? null,
  };
  return found(locale, shell, shareable, thread, {
    title: page.thread.title,
    feed: `/articles/${slug}/feed.xml`,
    picksFeed: `/articles/${slug}/picks.xml`,
    article: { title: page.thread.title, paragraphs: page.articleParagraphs },
    island: island(request, { kind: 'article', locale, thread }),
  });
}

/** `/articles/<slug>/comments/<id>`: one branch of a thread, for replies nested deeper than the article page shows. */
export async function branchPage(request: ReaderRequest, slug: string, id: string): Promise<ReaderPageResult> {
  const locale = localeOf(request);
  const hidden = hiddenCheck(request);
  const shell = { document: { lang: locale, className: null }, chrome: CHROME };
  const page = CommentIdSchema.safeParse(id).success ? await loadThreadPage({ slug, rootId: id, seesHidden: hidden.seesHidden }) : null;
  const shareable = isSharedReaderRequest(request.query) && !hidden.asked;
  const root = page?.root;
  if (!page || !root) return notFound(locale, shell, shareable);
  const replyTo = CommentIdSchema.safeParse(firstParam(request.query.replyTo));
  const thread = { ...liveThreadBase(page), sort: 'oldest' as const, rootId: root.id, replyTo: replyTo.success ? replyTo.data : null, formError: null };
  return found(locale, shell, shareable, thread, {
    title: translatorFor(locale).t('branch.metaTitle', { title: page.thread.title }),
    feed: null,
    article: null,
    island: island(request, { kind: 'branch', locale, thread, branch: { title: page.thread.title, rootId: root.id, parentId: root.parentId } }),
  });
}

/**
 * `/embed/<slug>`: the discussion alone, for a frame on another site (embed.js). The server has
 * checked the address, opened the thread if its host vouched for it, and tells the page the host's
 * theme and where permalinks lead: the thread's article, or a `url` on a site in EMBED_ORIGINS,
 * never the query's `url` as such (server/embed/embedGate.ts). The frame speaks English, as
 * the embed always has.
 */
export async function embedPage(request: ReaderRequest, slug: string): Promise<ReaderPageResult> {
  const locale = DEFAULT_LOCALE;
  const hidden = hiddenCheck(request);
  const theme = request.headers.get(EMBED_THEME_HEADER) ?? 'auto';
  const shell = { document: { lang: locale, className: `embed theme-${theme}` }, chrome: null };
  const page = await loadThreadPage({ slug, sort: sortFrom(request.query.sort), seesHidden: hidden.seesHidden });
  const shareable = isSharedReaderRequest(request.query) && !hidden.asked;
  if (!page) return notFound(locale, shell, shareable);
  const thread = { ...liveThreadBase(page), sort: page.sort, rootId: null, replyTo: null, formError: null };
  return found(locale, shell, shareable, thread, {
    title: `Comments: ${page.thread.title}`,
    feed: null,
    article: null,
    island: island(request, { kind: 'embed', locale, thread, embed: { hostUrl: hostPageUrl(request.headers.get(EMBED_URL_HEADER)) } }),
  });
}
