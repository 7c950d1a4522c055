import type { ThreadAction, ThreadState } from '../../../lib/client/threadState';
import type { ApiError, ServerApi } from '../serverApi';

/**
 * The page's two reads of the thread over HTTP, outside React so that their
 * failures can be tested. Both resolve, never reject: a failure leaves the
 * page as it was, and says so (false).
 */
export interface ThreadLoading {
  api: Pick<ServerApi, 'threadPage' | 'events'>;
  slug: string;
  /** The page's state now (it changes while a request is out). */
  current(): ThreadState;
  dispatch(action: ThreadAction): void;
  /** Told after each page is in, with where the next one starts (null: none): the page records how far in its address. */
  pageLoaded?(sort: ThreadState['sort'], nextCursor: string | null): void;
}

/**
 * A thread that is not found any more was deleted, or hidden from this reader
 * (the server does not say which, so as not to tell that it exists): the page
 * shows it removed. Either way nothing was loaded (false).
 */
function removedIfGone(error: ApiError, dispatch: ThreadLoading['dispatch']): false {
  if (error.code === 'thread_not_found') dispatch({ type: 'removed' });
  return false;
}

/**
 * The next page of branches; then whatever changed in them since that page
 * was read, which arrived while they were not here and was skipped.
 */
export async function loadNextPage({ api, slug, current, dispatch, pageLoaded }: ThreadLoading): Promise<boolean> {
  const cursor = current().nextCursor;
  if (cursor === null) return false;
  const page = await api.threadPage(slug, current().sort, cursor);
  if (!page.ok) return removedIfGone(page.error, dispatch);
  const { thread, comments, nextCursor } = page.data;
  dispatch({ type: 'page', comments, nextCursor });
  pageLoaded?.(current().sort, nextCursor);
  if (thread.seq < current().seq) {
    // The branches are here either way; a failed replay only leaves them as they were read.
    const since = await api.events(slug, thread.seq);
    if (since.ok && !since.data.resync) dispatch({ type: 'backfill', events: since.data.missed });
  }
  return true;
}

/**
 * The first page again, in the reader's order: a page that fell too far
 * behind (or is ahead of the database) starts over. If it cannot be read
 * (offline, say), the page stays as it was until the next catch-up.
 */
export async function reloadThread({ api, slug, current, dispatch }: ThreadLoading): Promise<boolean> {
  const page = await api.threadPage(slug, current().sort);
  if (!page.ok) return removedIfGone(page.error, dispatch);
  const { thread, comments, nextCursor } = page.data;
  // An older server says nothing of hiding: such a thread is not hidden.
  const settings = { locked: thread.locked, slowModeSeconds: thread.slowModeSeconds, preModeration: thread.preModeration, hidden: thread.hidden === true, commentPolicy: thread.commentPolicy ?? null, qa: thread.qa === true, closesAt: thread.closesAt ?? null };
  dispatch({ type: 'replace', seq: thread.seq, settings, comments, nextCursor, total: thread.commentCount });
  return true;
}
