import { CommentIdSchema, CursorSchema, UNTIL_END, UNTIL_PARAM, UntilSchema, cursorFitsSort } from '../../lib/contract';
import { EMBED_THEME_HEADER, EMBED_URL_HEADER, hostPageUrl } from '../../lib/domain/embed';
import type { ThreadPage } from '../../lib/services';
import { firstParam, formTokenOf, guestIdOf, staffOf } from '../components/requestViewer';
import { DEFAULT_LOCALE, translatorFor, type Locale } from '../i18n/locales';
import type { ThreadIslandData } from '../islands/islandData';
import { islandScripts } from '../islands/islandScripts';
import type { ReaderPageProps } from './ReaderPage';
import { localeOf, nonceOf, type ReaderRequest } from './readerRequest';
import { renderSignOut, renderThreadIsland } from './renderIsland';
import { liveThreadBase, loadThreadPage, sortFrom, type Viewer } from './threadData';

/** A reader page to render, with its status: 404 when there is no such thread (or comment). */
export interface ReaderPageResult {
  status: 200 | 404;
  props: ReaderPageProps;
}

/** The reader, read once per page: the island and the header both need them. */
async function viewerOf(request: ReaderRequest): Promise<Viewer> {
  return { guestId: guestIdOf(request.headers), staff: await staffOf(request.headers), formToken: formTokenOf(request.headers) };
}

/** The site's header and footer around a page, with a moderator's sign-out button rendered in. */
function chromeFor(viewer: Viewer, locale: Locale): ReaderPageProps['chrome'] {
  return { staff: viewer.staff ? { username: viewer.staff.username } : null, signOutHtml: viewer.staff ? renderSignOut(locale) : null };
}

/** The discussion, rendered, with the data and the script that hydrate it. */
function island(request: ReaderRequest, data: ThreadIslandData): NonNullable<ReaderPageProps['island']> {
  return { kind: data.kind, ...renderThreadIsland(data), script: islandScripts().script('thread'), nonce: nonceOf(request) };
}

function notFound(locale: Locale, shell: Pick<ReaderPageProps, 'document' | 'chrome'>): ReaderPageResult {
  return { status: 404, props: { ...shell, locale, title: translatorFor(locale).t('notFound.title'), feed: null, article: null, island: null } };
}

/** `/articles/<slug>`: the story and its discussion. */
export async function articlePage(request: ReaderRequest, slug: string): Promise<ReaderPageResult> {
  const { query } = request;
  const locale = localeOf(request);
  const viewer = await viewerOf(request);
  const shell = { document: { lang: locale, className: null }, chrome: chromeFor(viewer, locale) };
  // `?after=`: the no-JavaScript "More comments" link; a bad cursor just shows the first page.
  const after = CursorSchema.safeParse(firstParam(query.after));
  const sort = sortFrom(query.sort);
  const afterCursor = after.success && cursorFitsSort(sort, after.data);
  // `?until=`: the pages the reader had loaded with "More comments" (set by the page as they load), back after a reload.
  const until = UntilSchema.safeParse(firstParam(query[UNTIL_PARAM]));
  const untilFits = until.success && (until.data === UNTIL_END || cursorFitsSort(sort, until.data));
  const page = await loadThreadPage({ slug, sort, viewer, ...(afterCursor && { after: after.data }), ...(untilFits && { until: until.data }) });
  if (!page) return notFound(locale, shell);
  const replyTo = CommentIdSchema.safeParse(firstParam(query.replyTo));
  const error = firstParam(query.error);
  const thread = {
    ...(await liveThreadBase(page, { viewer, afterCursor })),
    sort: page.sort,
    rootId: null,
    replyTo: replyTo.success ? replyTo.data : null,
    formError: error ? { code: error, field: firstParam(query.field) ?? null } : null,
    likeError: firstParam(query.likeError) ?? null,
  };
  return {
    status: 200,
    props: {
      ...shell,
      locale,
      title: page.thread.title,
      feed: `/articles/${slug}/feed.xml`,
      article: { title: page.thread.title, paragraphs: page.articleParagraphs },
      island: island(request, { kind: 'article', locale, thread }),
    },
  };
}

/** `/articles/<slug>/comments/<id>`: one branch of a thread, for replies nested deeper than the article page shows. */
export async function branchPage(request: ReaderRequest, slug: string, id: string): Promise<ReaderPageResult> {
  const locale = localeOf(request);
  const viewer = await viewerOf(request);
  const shell = { document: { lang: locale, className: null }, chrome: chromeFor(viewer, locale) };
  const page = CommentIdSchema.safeParse(id).success ? await loadThreadPage({ slug, rootId: id, viewer }) : null;
  const root = page?.root;
  if (!page || !root) return notFound(locale, shell);
  const replyTo = CommentIdSchema.safeParse(firstParam(request.query.replyTo));
  const thread = { ...(await liveThreadBase(page, { viewer })), sort: 'oldest' as const, rootId: root.id, replyTo: replyTo.success ? replyTo.data : null, formError: null };
  return {
    status: 200,
    props: {
      ...shell,
      locale,
      title: translatorFor(locale).t('branch.metaTitle', { title: page.thread.title }),
      feed: null,
      article: null,
      island: island(request, { kind: 'branch', locale, thread, branch: { title: page.thread.title, rootId: root.id, parentId: root.parentId } }),
    },
  };
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
  const viewer = await viewerOf(request);
  const theme = request.headers.get(EMBED_THEME_HEADER) ?? 'auto';
  const shell = { document: { lang: locale, className: `embed theme-${theme}` }, chrome: null };
  const page: ThreadPage | null = await loadThreadPage({ slug, sort: sortFrom(request.query.sort), viewer });
  if (!page) return notFound(locale, shell);
  const thread = { ...(await liveThreadBase(page, { viewer })), sort: page.sort, rootId: null, replyTo: null, formError: null };
  return {
    status: 200,
    props: {
      ...shell,
      locale,
      title: `Comments: ${page.thread.title}`,
      feed: null,
      article: null,
      island: island(request, { kind: 'embed', locale, thread, embed: { hostUrl: hostPageUrl(request.headers.get(EMBED_URL_HEADER)) } }),
    },
  };
}
