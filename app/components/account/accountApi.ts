import type { OwnAccount, SessionViewWire } from '../../../lib/contract/ownData';
import { createCall, send, type Fetch } from '../serverApi';

/**
 * The settings page's calls (docs/api.md, "Your own data"). Here rather than in serverApi, so that
 * only /account's bundle carries them: nothing of this loads for readers.
 */
export function createAccountApi(fetchImpl: Fetch) {
  const call = createCall(fetchImpl);
  return {
    rename: (displayName: string) => call('/api/me/name', send('PUT', { displayName }), (json) => (isObject(json) && isAccount(json.account) ? json.account : undefined)),
    sessions: () =>
      call('/api/me/sessions', { headers: { accept: 'application/json' } }, (json) => (isObject(json) && Array.isArray(json.sessions) && json.sessions.every(isSession) ? json.sessions : undefined)),
    signOutOthers: () => call('/api/me/sessions/others', send('DELETE'), (json) => (isObject(json) && typeof json.signedOut === 'number' ? json.signedOut : undefined)),
    signOut: (id: string) => call(`/api/me/sessions/${encodeURIComponent(id)}`, send('DELETE'), null),
    claimGuest: () => call('/api/me/claim-guest', send('POST'), (json) => (isObject(json) && typeof json.comments === 'number' ? json.comments : undefined)),
    deleteAccount: (confirm: string) => call('/api/me', send('DELETE', { confirm }), null),
  };
}

export type AccountApi = ReturnType<typeof createAccountApi>;

export const accountApi: AccountApi = createAccountApi((url, init) => fetch(url, init));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isAccount(value: unknown): value is OwnAccount {
  return isObject(value) && typeof value.id === 'string' && typeof value.displayName === 'string';
}

function isSession(value: unknown): value is SessionViewWire {
  return isObject(value) && typeof value.id === 'string' && typeof value.browser === 'string' && typeof value.current === 'boolean' && typeof value.createdAt === 'string';
}
