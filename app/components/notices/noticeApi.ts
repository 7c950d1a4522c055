import type { ThreadWatchMode } from '../../../lib/domain/notifications';
import { createCall, send, type ApiResult } from '../serverApi';

const call = createCall((url, init) => fetch(url, init));
const isWatch = (json: unknown): json is { mode: ThreadWatchMode | null } => typeof json === 'object' && json !== null && 'mode' in json;
const isMuted = (json: unknown): json is { muted: boolean } => typeof json === 'object' && json !== null && typeof (json as { muted: unknown }).muted === 'boolean';

/** A signed-in reader's follows, blocks and mutes (docs/api.md, "Notifications"). */
export const noticeApi = {
  watchOf: (slug: string): Promise<ApiResult<{ mode: ThreadWatchMode | null }>> => call(`/api/me/threads/${encodeURIComponent(slug)}`, { method: 'GET' }, (j) => (isWatch(j) ? j : undefined)),
  watch: (slug: string, mode: ThreadWatchMode | null): Promise<ApiResult<{ mode: ThreadWatchMode | null }>> =>
    call(`/api/me/threads/${encodeURIComponent(slug)}`, mode ? send('PUT', { mode }) : send('DELETE'), (j) => (isWatch(j) ? j : undefined)),
  muteAuthorOf: (commentId: string): Promise<ApiResult<{ muted: boolean }>> => call('/api/me/mutes', send('POST', { commentId }), (j) => (isMuted(j) ? j : undefined)),
};
