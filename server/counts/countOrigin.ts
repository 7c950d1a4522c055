import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../lib/domain/errors';
import { normalizeOrigin, type OriginPolicy } from '../http/origin';

export interface CountOriginOptions {
  /** EMBED_ORIGINS: the newsroom's sites, whose pages may show counts. */
  embedOrigins: readonly string[];
  policy: Pick<OriginPolicy, 'ownOrigin'>;
}

/**
 * Who may read counts from a browser (docs/embed.md, "Comment counts"): a page on a site in
 * EMBED_ORIGINS, or on this app's own origin. A request without an Origin is not a browser's
 * cross-site one (a CMS rendering its fallback count): it is answered too, counts being public. The
 * answer, a refusal included, names the page's origin in Access-Control-Allow-Origin, so count.js can
 * read why it was refused and say so in the console rather than fail silently.
 */
export function admitCountOrigin(req: IncomingMessage, res: ServerResponse, options: CountOriginOptions): void {
  res.setHeader('vary', 'Origin');
  const raw = req.headers.origin;
  if (raw === undefined) return;
  const origin = normalizeOrigin(raw);
  if (origin !== null) res.setHeader('access-control-allow-origin', origin);
  if (origin !== null && (options.embedOrigins.includes(origin) || origin === options.policy.ownOrigin(req))) return;
  throw new AppError('origin_not_allowed', { detail: `origin ${raw.slice(0, 200)} is not in EMBED_ORIGINS` });
}
