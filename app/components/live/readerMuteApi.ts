import type { ReaderMute } from '../../../lib/client/readerMutes';
import { createCall, send, type ApiResult } from '../serverApi';

const call = createCall((url, init) => fetch(url, init));

/** `{ mutes: [{ personId, displayName, authorKey }] }` as the page keeps it; anything else is not an answer. */
function readMutes(json: unknown): ReaderMute[] | undefined {
  const mutes = typeof json === 'object' && json !== null ? (json as { mutes?: unknown }).mutes : undefined;
  if (!Array.isArray(mutes)) return undefined;
  const out: ReaderMute[] = [];
  for (const m of mutes as Record<string, unknown>[]) {
    if (typeof m?.authorKey !== 'string' || typeof m.personId !== 'string') return undefined;
    out.push({ key: m.authorKey, personId: m.personId, name: typeof m.displayName === 'string' ? m.displayName : null });
  }
  return out;
}
const done = (json: unknown) => (typeof json === 'object' && json !== null ? true : undefined);

/** A signed-in reader's mutes: the account's list, the notices' one (docs/api.md, "Readers' mutes"). */
export const readerMuteApi = {
  list: (): Promise<ApiResult<ReaderMute[]>> => call('/api/me/mutes', { method: 'GET' }, readMutes),
  /** A guest's browser list, taken into the account on sign-in; answers the whole list after. */
  merge: (commentIds: string[]): Promise<ApiResult<ReaderMute[]>> => call('/api/me/mutes/merge', send('POST', { commentIds }), readMutes),
  muteAuthorOf: (commentId: string): Promise<ApiResult<true>> => call('/api/me/mutes', send('POST', { commentId }), done),
  unmute: (personId: string): Promise<ApiResult<true>> => call(`/api/me/mutes/${encodeURIComponent(personId)}`, send('DELETE'), done),
};
