import { hydrateRoot } from 'react-dom/client';
import type { AccountRole } from '../../lib/domain/identity';
import { BELL_ISLAND, ISLAND_ATTRIBUTE, ISLAND_DATA_ID, STAFF_NAV_ISLAND, THREAD_ISLAND, bodiesIn, readIslandData } from './islandData';
import { loadStaffControls } from '../components/live/staffOnly';
import { loadCatalog } from '../i18n/catalogs';
import { ThreadIsland } from './ThreadIsland';

/**
 * What the reader pages' script (./thread.tsx) loads once the page has painted: hydrates the
 * discussion the server rendered, from the data the page carries. The page is the same for every
 * reader; once the reader's own state says they are signed in as staff, their controls' chunk
 * loads and the header's slot gets their links (a chunk of its own); a signed-in person's bell is a
 * chunk of its own too. Nothing else on the page runs.
 */
const island = (name: string) => document.querySelector(`[${ISLAND_ATTRIBUTE}="${name}"]`);
const text = document.getElementById(ISLAND_DATA_ID)?.textContent;
const thread = island(THREAD_ISLAND);
if (thread && text) {
  // The comments' HTML is read from the page before React takes it over: the JSON leaves out what the HTML shows.
  const bodies = bodiesIn(thread);
  const data = readIslandData(text, (id) => bodies.get(id));
  const onStaff = ({ username }: { username: string }) => {
    void loadStaffControls();
    const slot = island(STAFF_NAV_ISLAND);
    if (slot) void import('./staffNav').then(({ showStaffNav }) => showStaffNav(slot, data.locale, username));
  };
  // A signed-in person's bell: a chunk of its own, which a guest never loads.
  let bell = false;
  const onAccount = (account: { role: AccountRole } | null) => {
    const slot = island(BELL_ISLAND);
    if (!account || !slot || bell) return;
    bell = true;
    void import('./bellNav').then(({ showBell }) => showBell(slot, data.locale, account.role));
  };
  // The page's words are a chunk of their own (app/i18n/catalogs.islands.ts), preloaded beside this one.
  void loadCatalog(data.locale).then(() => hydrateRoot(thread, <ThreadIsland data={data} onStaff={onStaff} onAccount={onAccount} />));
}
