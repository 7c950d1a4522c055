import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { IslandManifest } from '../build/islands';
import { MANIFEST } from '../build/islands';
import { AppError } from '../../lib/domain/errors';
import type { IslandScript, IslandScripts } from '../../app/islands/islandScripts';
import { sendError } from './json';

/** Where the reader pages' own scripts are served (server/build/islands.js builds them). */
export const ISLANDS_PATH = '/_islands/';

/** A file of the build: a name esbuild made (a script, or in development its source map), never a path. */
const FILE_NAME = /^[A-Za-z0-9_-]+\.js(\.map)?$/;
/** Each name carries a hash of its contents: a name never changes meaning, so it is cached for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface IslandAssets {
  /** Answers GET /_islands/<file>. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** What the pages ask for (app/islands/islandScripts.ts). */
  scripts: IslandScripts;
}

/**
 * Serves the islands' build from `dir`, gzipped when the browser takes it (the build writes a
 * gzipped copy beside each file). In development the build is redone on every change
 * (watchIslands), so the manifest is read again whenever it changed and nothing is cached.
 */
export function createIslandAssets(options: { dir: string; dev: boolean }): IslandAssets {
  const { dir, dev } = options;
  let manifest: { read: number; entries: IslandManifest } | undefined;

  const entries = (): IslandManifest => {
    const file = path.join(dir, MANIFEST);
    const mtime = dev ? fs.statSync(file).mtimeMs : 0;
    if (!manifest || manifest.read !== mtime) manifest = { read: mtime, entries: JSON.parse(fs.readFileSync(file, 'utf8')) as IslandManifest };
    return manifest.entries;
  };

  const scripts: IslandScripts = {
    script(entry, locale): IslandScript {
      const found = entries()[entry];
      if (!found) throw new Error(`the islands' build has no entry "${entry}" (${path.join(dir, MANIFEST)})`);
      const paths = (chunks: string[]) => chunks.map((chunk) => `${ISLANDS_PATH}${chunk}`);
      // The page's words load after first paint with the rest (app/i18n/catalogs.islands.ts); a chunk two of these share is named once.
      const later = [...new Set([...(found.later ?? []), ...(found.locales?.[locale] ?? [])])];
      return { src: `${ISLANDS_PATH}${found.file}`, preload: paths(found.preload), later: paths(later) };
    },
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, new AppError('method_not_allowed'));
    }
    const name = (req.url ?? '').split('?')[0]!.slice(ISLANDS_PATH.length);
    const file = path.join(dir, name);
    if (!FILE_NAME.test(name) || !fs.existsSync(file)) return sendError(res, new AppError('not_found'));
    const gzipped = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && fs.existsSync(`${file}.gz`);
    const body = fs.readFileSync(gzipped ? `${file}.gz` : file);
    res.writeHead(200, {
      'content-type': name.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8',
      'content-length': body.length,
      'cache-control': dev ? 'no-cache' : IMMUTABLE,
      vary: 'accept-encoding',
      ...(gzipped && { 'content-encoding': 'gzip' }),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return { handle, scripts };
}
