/**
 * Where a reader page finds its island's script. The server builds the islands
 * (server/build/islands.js) and serves them (server/http/islandAssets.ts); like the services
 * (lib/services/registry.ts), it hands the pages what they need on a global symbol, since
 * Next.js bundles the pages apart from the server's own modules.
 */
const KEY = Symbol.for('threadline.islandScripts');

/** An entry's script, and the chunks it imports at once (preloaded by the page, so they load side by side). */
export interface IslandScript {
  src: string;
  preload: string[];
}

export interface IslandScripts {
  script(entry: 'thread'): IslandScript;
}

type WithIslands = typeof globalThis & { [KEY]?: IslandScripts };

export function registerIslandScripts(scripts: IslandScripts | undefined): void {
  (globalThis as WithIslands)[KEY] = scripts;
}

export function islandScripts(): IslandScripts {
  const scripts = (globalThis as WithIslands)[KEY];
  if (!scripts) throw new Error('The islands\' scripts are not registered: start the app with `npm start` (server/main.ts), not `next start`.');
  return scripts;
}
