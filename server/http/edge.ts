import type { IncomingMessage, ServerResponse } from 'node:http';
import { loggedUrl } from './loggedUrl';
import { EMBED_THEME_HEADER, EMBED_URL_HEADER } from '../../lib/domain/embed';
import { AppError } from '../../lib/domain/errors';
import type { Logger } from '../log';
import { mediaType } from './body';
import { createOriginPolicy, isStateChanging, requestSite, type OriginPolicy, type OriginPolicyOptions } from './origin';
import { NON_PAGE_CSP, newNonce, nonPageCsp, pageCsp, standardHeaders } from './securityHeaders';
import { CappedMap } from '../../lib/domain/cappedMap';

export interface EdgeOptions extends OriginPolicyOptions {
  /** Next.js in development mode: its runtime needs 'unsafe-eval'. */
  dev?: boolean;
  /** EMBED_ORIGINS: the sites whose pages may frame /embed/* (and nothing else). */
  embedOrigins?: readonly string[];
}

/**
 * Which handler a request goes to: the JSON API, the no-JavaScript form posts,
 * the pages (Next.js), or the embed's pages (Next.js too, but framable by EMBED_ORIGINS).
 */
export type RequestKind = 'api' | 'form' | 'page' | 'embed';

/** The one gate every HTTP request passes before any handler (docs/security.md, "Who may talk to the server"). */
export interface Edge {
  policy: OriginPolicy;
  /** Sets the security headers; answers the error to send instead of handling the request, or null. */
  admit(req: IncomingMessage, res: ServerResponse, kind: RequestKind): AppError | null;
  /** The JSON API's rule for requests that change state (the router runs it once a route matched, so 404 and 405 come first). */
  requireJson(req: IncomingMessage): void;
  /** Before a page renders: a fresh CSP nonce (on the request for Next.js, on the response for the browser). */
  preparePage(req: IncomingMessage, res: ServerResponse, options?: { embed?: boolean }): void;
  /** The policy of a page everyone gets (server/pageCache): no nonce, the same for every reader of this address. */
  sharedPageCsp(req: IncomingMessage, options?: { embed?: boolean }): string;
}

/** Distinct sites whose shared pages' policy is kept ready (each a few hundred bytes). */
const MAX_SHARED_CSPS = 64;

export function createEdge(options: EdgeOptions & { log: Logger }): Edge {
  const policy = createOriginPolicy(options);
  const { log } = options;

  // The site as admit() judged it (requestSite): the policy names its ws(s) origin.
  const pageCspFor = (req: IncomingMessage, nonce: string | null, pageOptions: { embed?: boolean }) =>
    pageCsp({ nonce, dev: options.dev ?? false, ownOrigin: requestSite(req), frameAncestors: pageOptions.embed ? options.embedOrigins : undefined });
  /** The nonce-less policies by site and kind: the same string for every view of a host's shared pages. */
  const sharedCsps = new CappedMap<string, string>(MAX_SHARED_CSPS);

  return {
    policy,

    admit(req, res, kind) {
      // Decided once, here, for every budget the request is counted against (clientAddress in origin.ts).
      policy.clientAddress(req);
      // Only the embed gate may tell a page render the host's theme and where permalinks lead (server/embed/embedGate.ts).
      delete req.headers[EMBED_THEME_HEADER];
      delete req.headers[EMBED_URL_HEADER];
      const embed = kind === 'embed';
      for (const [name, value] of Object.entries(standardHeaders({ https: policy.isHttps(req), framable: embed }))) res.setHeader(name, value);
      // A page that renders gets its own policy (preparePage); until then, and for any error answered before or
      // instead of it, nothing runs — and an embed's error may be framed by the same sites as its pages.
      res.setHeader('content-security-policy', embed ? nonPageCsp({ frameAncestors: options.embedOrigins }) : NON_PAGE_CSP);
      if (!isStateChanging(req.method)) return null;
      const why = policy.refusal(req);
      if (why) {
        log.warn(`refused ${req.method} ${loggedUrl(req.url)}: ${why}`);
        return new AppError('cross_site', { detail: why });
      }
      return null;
    },

    requireJson(req) {
      if (isStateChanging(req.method) && !jsonOrSameOrigin(req)) {
        throw new AppError('unsupported_media_type', { message: 'Send requests that change anything with Content-Type: application/json.' });
      }
    },

    preparePage(req, res, pageOptions = {}) {
      // Only this server may say these to the page render; a client's own copies are dropped.
      delete req.headers['content-security-policy-report-only'];
      const csp = pageCspFor(req, newNonce(), pageOptions);
      // Next.js takes the nonce for its scripts from the request's policy.
      req.headers['content-security-policy'] = csp;
      res.setHeader('content-security-policy', csp);
    },

    sharedPageCsp(req, pageOptions = {}) {
      const key = `${requestSite(req)} ${pageOptions.embed === true}`;
      let csp = sharedCsps.get(key);
      if (csp === undefined) {
        csp = pageCspFor(req, null, pageOptions);
        // Hosts come from requests: a few are real, the rest must not grow the map.
        sharedCsps.set(key, csp);
      }
      return csp;
    },
  };
}

/**
 * No plain HTML form can send `application/json` to another site without a
 * CORS preflight, which this server never grants; so a JSON request is not a
 * forged form. A request without a body may instead carry an Origin, which by
 * now has passed the check (browsers send one with every POST, PUT, PATCH and
 * DELETE), so the app's own bodiless fetches (lock, delete, sign out) need no
 * content type.
 */
function jsonOrSameOrigin(req: IncomingMessage): boolean {
  if (mediaType(req) === 'application/json') return true;
  const bodiless = req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0;
  return bodiless && req.headers.origin !== undefined;
}
