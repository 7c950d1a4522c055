/**
 * Where a reader page finds its island's script. The server builds the islands
 * (server/build/islands.js) and serves them (server/http/islandAssets.ts); like the services
 * (lib/services/registry.ts), it hands the pages what they need on a global symbol, since
 * Next.js bundles the pages apart from the server's own modules (lib/domain/processGlobal.ts).
 */
import { processGlobal } from '../../lib/domain/processGlobal';
import type { Locale } from '../i18n/locales';

/** An entry's script, and the chunks it imports at once (preloaded by the page, so they load side by side). */
export interface IslandScript {
  src: string;
  preload: string[];
  /** The chunks it loads once the page has painted (app/islands/thread.tsx), the page's locale's words among them, said on its element. */
  later: string[];
}

export interface IslandScripts {
  script(entry: 'thread', locale: Locale): IslandScript;
}

const scripts = processGlobal<IslandScripts>('threadline.islandScripts', {
  missing: "The islands' scripts are not registered: start the app with `npm start` (server/main.ts), not `next start`.",
});

export const registerIslandScripts = scripts.register;
export const islandScripts = scripts.get;
