import type { AdminThreadListResponse, AdminThreadSummary, DeletedThread } from '../../../lib/contract/api';
import { checked, createCall, send, type Fetch } from '../serverApi';

/**
 * The admins' calls about whole threads (docs/api.md): the list with hidden threads, hiding and
 * deleting. Here rather than in serverApi, so that only the desk's bundle carries them.
 */
export function createThreadAdminApi(fetchImpl: Fetch) {
  const call = createCall(fetchImpl);
  return {
    /** A page of every thread, newest first; `after`: the `next` of the page before. */
    threads: (after: string | null) =>
      call(`/api/moderation/threads${after === null ? '' : `?after=${encodeURIComponent(after)}`}`, { headers: { accept: 'application/json' } }, checked(isThreadList)),
    setHidden: (slug: string, hidden: boolean) =>
      call(`/api/threads/${slug}/${hidden ? 'hide' : 'unhide'}`, send('POST'), (json) => ((json as { thread?: { hidden?: unknown } } | null)?.thread?.hidden === hidden ? hidden : undefined)),
    deleteThread: (slug: string, reason: string | null) =>
      call(`/api/threads/${slug}`, send('DELETE', reason === null ? undefined : { reason }), (json) => (isDeleted((json as { deleted?: unknown } | null)?.deleted) ? (json as { deleted: DeletedThread }).deleted : undefined)),
  };
}

export type ThreadAdminApi = ReturnType<typeof createThreadAdminApi>;

export const threadAdminApi: ThreadAdminApi = createThreadAdminApi((url, init) => fetch(url, init));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

function isThread(value: unknown): value is AdminThreadSummary {
  return (
    isObject(value) &&
    typeof value.slug === 'string' &&
    typeof value.title === 'string' &&
    typeof value.locked === 'boolean' &&
    typeof value.hidden === 'boolean' &&
    isCount(value.commentCount) &&
    typeof value.createdAt === 'string'
  );
}

function isThreadList(value: unknown): value is AdminThreadListResponse {
  return isObject(value) && Array.isArray(value.threads) && value.threads.every(isThread) && (value.next === null || typeof value.next === 'string');
}

function isDeleted(value: unknown): value is DeletedThread {
  return isObject(value) && typeof value.slug === 'string' && typeof value.title === 'string' && isCount(value.comments);
}
