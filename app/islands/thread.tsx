import { hydrateRoot } from 'react-dom/client';
import { ISLAND_ATTRIBUTE, ISLAND_DATA_ID, SIGN_OUT_ISLAND, THREAD_ISLAND, readIslandData } from './islandData';
import { loadStaffControls } from '../components/live/staffOnly';
import { ThreadIsland } from './ThreadIsland';

/**
 * The reader pages' script (built by server/build/islands.js, not by Next.js): hydrates the
 * discussion the server rendered, from the data the page carries, and a moderator's sign-out
 * button from a chunk of its own. Nothing else on the page runs.
 */
const island = (name: string) => document.querySelector(`[${ISLAND_ATTRIBUTE}="${name}"]`);
const text = document.getElementById(ISLAND_DATA_ID)?.textContent;
const thread = island(THREAD_ISLAND);
if (thread && text) {
  const data = readIslandData(text);
  // The page may come from a cache, the same bytes for every reader and every tab: the comment boxes'
  // idempotency keys get a seed of this page view's own, or two views of one version would send the same key.
  // (getRandomValues, not randomUUID: the latter needs a secure context, and a site may be served over plain HTTP.)
  data.thread.clientIdSeed = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
  // A moderator's controls come in chunks of their own (staffOnly.ts): start them now, beside the hydration.
  if (data.thread.staff) void loadStaffControls();
  hydrateRoot(thread, <ThreadIsland data={data} />);
  const signOut = island(SIGN_OUT_ISLAND);
  if (signOut) void import('./signOut').then(({ hydrateSignOut }) => hydrateSignOut(signOut, data.locale));
}
