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
  // A moderator's controls come in chunks of their own (staffOnly.ts): start them now, beside the hydration.
  if (data.thread.staff) void loadStaffControls();
  hydrateRoot(thread, <ThreadIsland data={data} />);
  const signOut = island(SIGN_OUT_ISLAND);
  if (signOut) void import('./signOut').then(({ hydrateSignOut }) => hydrateSignOut(signOut, data.locale));
}
