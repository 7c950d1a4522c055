import type { MarkReadRequest, NotificationList } from '../../../lib/contract/notifications';
import { createCall, send, type ApiResult } from '../serverApi';

const isList = (json: unknown): json is NotificationList =>
  typeof json === 'object' && json !== null && Array.isArray((json as NotificationList).notifications) && typeof (json as NotificationList).unread === 'number';
const isCount = (json: unknown): json is { unread: number; queue?: number } => typeof json === 'object' && json !== null && typeof (json as { unread: unknown }).unread === 'number';

/** The bell's calls (docs/api.md, "Notifications"), with the site's session cookie. */
export function createBellApi(fetchImpl: typeof fetch = (url, init) => fetch(url, init)) {
  const call = createCall(fetchImpl);
  return {
    count: (): Promise<ApiResult<{ unread: number; queue?: number }>> => call('/api/me/notifications/count', { method: 'GET' }, (json) => (isCount(json) ? json : undefined)),
    list: (before?: string): Promise<ApiResult<NotificationList>> =>
      call(`/api/me/notifications${before ? `?before=${encodeURIComponent(before)}` : ''}`, { method: 'GET' }, (json) => (isList(json) ? json : undefined)),
    /** `keepalive`: a click on a notice's link leaves the page while this is on its way. */
    markRead: (read: MarkReadRequest): Promise<ApiResult<{ unread: number }>> =>
      call('/api/me/notifications/read', { ...send('POST', read), keepalive: true }, (json) => (isCount(json) ? json : undefined)),
  };
}

export const bellApi = createBellApi();
