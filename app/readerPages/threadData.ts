import { SortSchema, type Sort } from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';
import type { ThreadPage } from '../../lib/services';
import { getServices } from '../../lib/services/registry';
import type { LiveThreadProps } from '../components/live/LiveThread';
import { clientComments } from '../components/clientComments';
import { clientIdSeed } from '../components/requestViewer';
import type { User } from '../../lib/store/accountStore';

/** `?sort=` from the URL; anything unexpected falls back to the default order. */
export function sortFrom(value: string | string[] | undefined): Sort {
  const parsed = SortSchema.safeParse(Array.isArray(value) ? value[0] : value);
  return parsed.success ? parsed.data : 'oldest';
}

/**
 * A page of the thread, or null when the thread (or the comment a branch page is rooted at) does not
 * exist: the reader's 404. A hidden thread is read by staff only; for anyone else it is the 404 page,
 * as a slug no thread has.
 */
export async function loadThreadPage(request: { slug: string; viewer: Viewer; sort?: Sort; rootId?: string; after?: string; until?: string }): Promise<ThreadPage | null> {
  const { viewer, ...rest } = request;
  try {
    return await getServices().threads.getThreadPage({ ...rest, viewerGuestId: viewer.guestId, seesHidden: async () => viewer.staff !== null });
  } catch (err) {
    if (AppError.is(err) && (err.code === 'thread_not_found' || err.code === 'comment_not_found')) return null;
    throw err;
  }
}

/** Who is reading, as a reader page found out once (app/components/requestViewer.ts). */
export interface Viewer {
  guestId: string | null;
  staff: User | null;
  formToken: string;
}

/** What every reader page hands the live thread about the thread and its reader; the page adds its own (sort, root, reply box, errors). */
export async function liveThreadBase(page: ThreadPage, options: { viewer: Viewer; afterCursor?: boolean }): Promise<Omit<LiveThreadProps, 'sort' | 'rootId' | 'replyTo' | 'formError'>> {
  const { thread } = page;
  const { viewer } = options;
  return {
    slug: thread.slug,
    seq: thread.seq,
    locked: thread.locked,
    slowModeSeconds: thread.slowModeSeconds,
    preModeration: thread.preModeration,
    hidden: thread.hidden,
    // What a page may hand to the browser about the signed-in moderator.
    staff: viewer.staff ? { username: viewer.staff.username, role: viewer.staff.role } : null,
    comments: clientComments(page),
    nextCursor: page.nextCursor,
    total: thread.commentCount,
    clientIdSeed: clientIdSeed(),
    formToken: viewer.formToken,
    // A page that holds the whole thread already marks every comment of the reader's (`mine`): no read needed.
    ownIds: page.nextCursor === null && page.root === null && !options.afterCursor ? [] : await getServices().threads.ownCommentIds({ slug: thread.slug, guestId: viewer.guestId }),
  };
}
