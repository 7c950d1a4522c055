import type { AccountRole, Badge } from '../../../lib/domain/identity';
import { createCall, send } from '../serverApi';

const call = createCall((url, init) => fetch(url, init));
const person = (id: string) => `/api/people/${encodeURIComponent(id)}`;

/**
 * The person page's calls. Trust, shadow-ban and role are other parts of issue 16's routes
 * (`PUT /api/people/:personId/trusted`, `/shadow-ban`, `/role`): this page only calls them.
 */
export const personApi = {
  addNote: (id: string, text: string) => call<void>(`${person(id)}/notes`, send('POST', { text }), null),
  setBadges: (id: string, badges: Badge[]) => call<void>(`${person(id)}/badges`, send('PUT', { badges }), null),
  setTrusted: (id: string, trusted: boolean) => call<void>(`${person(id)}/trusted`, send('PUT', { trusted }), null),
  setShadowBanned: (id: string, shadowBanned: boolean) => call<void>(`${person(id)}/shadow-ban`, send('PUT', { shadowBanned }), null),
  setRole: (id: string, role: AccountRole) => call<void>(`${person(id)}/role`, send('PUT', { role }), null),
};
