import { SortSchema, type Sort } from '../../lib/contract/api';
import { closingNotice } from '../../lib/client/closingNotice';
import type { CommentPolicy } from '../../lib/domain/commentPolicy';
import { commenterSignIn } from '../../lib/services/signIn/methods';
import { AppError } from '../../lib/domain/errors';
import type { ThreadPage } from '../../lib/services';
import { getServices } from '../../lib/services/registry';
import type { LiveThreadProps } from '../components/live/LiveThread';
import { clientComments } from '../components/clientComments';
import { clientIdSeed } from '../components/requestViewer';

/** `?sort=` from the URL; anything unexpected falls back to the default order. */
export function sortFrom(value: string | string[] | undefined): Sort {
  const parsed = SortSchema.safeParse(Array.isArray(value) ? value[0] : value);
  return parsed.success ? parsed.data : 'oldest';
}

/**
 * A page of the thread as every reader gets it, or null when the thread (or the comment a branch page is
 * rooted at) does not exist: the 404. A hidden thread is read by staff only; for anyone else it is the 404
 * page, as a slug no thread has. `seesHidden` is asked only for a hidden thread, so only then does whether
 * the reader is staff change the page (readerPageProps.ts: such a page is never shared).
 */
export async function loadThreadPage(request: { slug: string; seesHidden: () => Promise<boolean>; sort?: Sort; rootId?: string; after?: string; until?: string }): Promise<SitePage | null> {
  try {
    const services = getServices();
    const page = await services.threads.getThreadPage({ ...request, viewerGuestId: null });
    // The site's policy is everyone's, as the thread's is: it belongs in the shared page, which the cache
    // keys by the same value (server/pageCache/sharedPages.ts).
    return { ...page, sitePolicy: services.policy.knownPolicy() };
  } catch (err) {
    if (AppError.is(err) && (err.code === 'thread_not_found' || err.code === 'comment_not_found')) return null;
    throw err;
  }
}

/** A page of the thread, and who may comment on the site where the thread does not say (lib/domain/commentPolicy.ts). */
export type SitePage = ThreadPage & { sitePolicy: CommentPolicy };

/**
 * Until when a page's words hold, rendered at `renderedAt`: a closing countdown ("Comments close in 2
 * hours") changes when its count does, and a kept page (server/pageCache/readerPageCache.ts) is not
 * served after that, whatever its seq. Null: nothing on the page depends on when it was rendered.
 */
export function wordsHoldUntil(thread: { locked: boolean; closesAt?: string | null; renderedAt?: number }): number | null {
  if (thread.locked || thread.renderedAt === undefined) return null;
  return closingNotice(thread.closesAt ?? null, thread.renderedAt)?.changesAt ?? null;
}

/**
 * What every reader page hands the live thread about the thread; the page adds its own (sort, root, reply
 * box, errors). Nothing of the reader's: the live thread reads that after the page loads (useReaderState).
 */
export function liveThreadBase(page: SitePage): Omit<LiveThreadProps, 'sort' | 'rootId' | 'replyTo' | 'formError'> {
  const { thread } = page;
  return {
    slug: thread.slug,
    seq: thread.seq,
    locked: thread.locked,
    slowModeSeconds: thread.slowModeSeconds,
    preModeration: thread.preModeration,
    hidden: thread.hidden,
    commentPolicy: thread.commentPolicy ?? null,
    qa: thread.qa === true,
    closesAt: thread.closesAt ?? null,
    // Only a thread with a closing time says anything that depends on when it was rendered.
    ...(thread.closesAt ? { renderedAt: Date.now() } : {}),
    sitePolicy: page.sitePolicy,
    comments: clientComments(page),
    nextCursor: page.nextCursor,
    total: thread.commentCount,
    clientIdSeed: clientIdSeed(thread.slug, thread.seq),
    // The same for every reader (the site's configuration): whether the box offers a way to sign in.
    signIn: commenterSignIn(),
  };
}
