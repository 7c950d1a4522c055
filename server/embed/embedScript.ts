import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { transformSync } from 'esbuild';

export const EMBED_SCRIPT_PATH = '/embed.js';

/**
 * Host pages load it from any site: Cross-Origin-Resource-Policy must allow
 * that (every other response says same-origin). The address is fixed, so the
 * cache is short and revalidated by ETag; a new version reaches readers within
 * minutes.
 */
const CACHE_CONTROL = 'public, max-age=300, must-revalidate';

/**
 * Serves server/embed/embed.js, read and minified once (it is part of the release, not
 * configuration): the source keeps the comments that say why each step is there, every host page's
 * readers download it without them.
 */
export function createEmbedScriptHandler(): (req: IncomingMessage, res: ServerResponse) => void {
  return createHostScriptHandler(path.join(__dirname, 'embed.js'));
}

/** Any script host pages load from us (embed.js, server/counts/count.js), served the same way. */
export function createHostScriptHandler(file: string): (req: IncomingMessage, res: ServerResponse) => void {
  const source = fs.readFileSync(file, 'utf8');
  const body = Buffer.from(transformSync(source, { minify: true, loader: 'js', charset: 'utf8' }).code);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return (req, res) => {
    res.setHeader('content-type', 'text/javascript; charset=utf-8');
    res.setHeader('cache-control', CACHE_CONTROL);
    res.setHeader('etag', etag);
    res.setHeader('cross-origin-resource-policy', 'cross-origin');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      res.writeHead(405).end();
      return;
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end();
      return;
    }
    res.setHeader('content-length', body.length);
    res.writeHead(200).end(req.method === 'HEAD' ? undefined : body);
  };
}
