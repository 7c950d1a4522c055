import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from '../../lib/contract/zod';
import { cookieName, readOwnCookie } from '../../lib/domain/cookieNames';
import { toAppError, type AppError } from '../../lib/domain/errors';
import { safeNextPath } from '../../lib/domain/nextPath';
import type { Services } from '../../lib/services';
import type { Logger } from '../log';
import { OIDC_FLOW_TTL_MS, openOidcFlow, sealOidcFlow, type OidcFlow } from '../../lib/services/oidc/oidcFlow';
import { oidcFailureOf } from '../../lib/services/oidc/oidcSignIn';
import { appendSetCookie, expiredCookie, siteCookie } from './cookies';
import { isHttps } from './guestSession';
import { requestSite } from './origin';
import { startPersonSession } from './person';
import { staffToken } from './staffSession';
import type { Route, RouteResult } from './router';

/** The flow between start and callback (lib/services/oidc/oidcFlow.ts). */
const FLOW_COOKIE = 'tl_oidc';
/** Where every OpenID Connect sign-in ends that does not go straight to `next`: a failure, or a popup's end (docs/embed.md). */
export const SIGN_IN_DONE_PATH = '/signin/done';

const PROVIDER_PARAM = { provider: z.string().describe('The provider\'s id, as configured in OIDC_PROVIDERS.') };
const StartQuerySchema = z.object({
  next: z.string().optional().describe('A path on this site to return to (anything else: the default).'),
  popup: z.literal('1').optional().describe('Run in a popup opened by the embed: ends at /signin/done?popup=1, which tells the opener and closes.'),
});
const REDIRECT_ERRORS = 'Never an error status: a failure is a redirect to /signin/done?error=<code>&reason=<reason> (oidc_failed, oidc_unavailable, sign_in_method_off).';

function flowCookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
  const secure = isHttps(req);
  // Lax: sent when the provider sends the browser back (a top-level GET), never with another site's subrequests.
  return siteCookie(cookieName(FLOW_COOKIE, secure), value, maxAgeSeconds, ['HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])]);
}

function clearFlowCookie(req: IncomingMessage): string {
  const secure = isHttps(req);
  return expiredCookie(cookieName(FLOW_COOKIE, secure), ['HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])]);
}

/**
 * Every response of a popup's sign-in, its last page included: COOP `same-origin` (on every other
 * response, server/http/securityHeaders.ts) would put the popup in a browsing context group of its
 * own as soon as it left the provider, and cut it off from the embed's frame that opened it.
 */
export function keepOpener(res: ServerResponse): void {
  res.setHeader('cross-origin-opener-policy', 'unsafe-none');
}

/** `/signin/done?popup=1…`: the popup's last page (server/app.ts keeps its opener). */
export function isSignInPopupPage(path: string, url: string | undefined): boolean {
  return path === SIGN_IN_DONE_PATH && new URL(url ?? '/', 'http://x.invalid').searchParams.get('popup') === '1';
}

/** The address the provider sends the browser back to: what to register at the provider (docs/deploy.md). */
export function oidcRedirectUri(req: IncomingMessage, providerId: string): string {
  return `${requestSite(req) ?? 'http://localhost'}/api/auth/oidc/${encodeURIComponent(providerId)}/callback`;
}

/** `/signin/done?…`: the end of every sign-in that does not go straight back (the page tells a popup's opener). */
export function signInDonePath(outcome: { next: string; popup: boolean; error?: AppError }): string {
  const query = new URLSearchParams();
  if (outcome.popup) query.set('popup', '1');
  if (outcome.error) {
    query.set('error', outcome.error.code);
    const reason = oidcFailureOf(outcome.error);
    if (reason) query.set('reason', reason);
  }
  query.set('next', outcome.next);
  return `${SIGN_IN_DONE_PATH}?${query}`;
}

/**
 * OpenID Connect sign-in (docs/api.md, "Signing in with OpenID Connect"): both are browser
 * navigations, so both answer redirects, a failure included: a person sees a page that says what
 * went wrong, never a JSON body or a 500. Neither logs its query (server/http/requestLog.ts logs the
 * path only), and neither lets an error reach the router, whose log line would carry the code.
 */
export function oidcRoutes(services: Services, log: Logger): Route[] {
  const secret = services.sessionSecret;

  /** Every failure, expected or not: logged without the query, answered with the page that explains it. */
  function failed(err: unknown, outcome: { next: string; popup: boolean }, path: string): RouteResult {
    const error = toAppError(err);
    if (error.status >= 500) log.error(`${path} failed: ${error.code}${error.detail ? ` (${error.detail})` : ''}`);
    return { status: 303, location: signInDonePath({ ...outcome, error }) };
  }

  const start: Route = {
    method: 'GET',
    path: '/api/auth/oidc/:provider/start',
    doc: {
      summary: 'Start signing in with an OpenID Connect provider: redirects to it (authorization code with PKCE, state and nonce kept in a short-lived signed cookie).',
      tag: 'accounts',
      params: PROVIDER_PARAM,
      query: StartQuerySchema,
      responses: { 303: { description: `To the provider's sign-in page. ${REDIRECT_ERRORS}`, headers: ['location', 'set-cookie'] } },
      errors: [],
    },
    handle: async ({ req, res, url, params }) => {
      const next = safeNextPath(url.searchParams.get('next'));
      const popup = url.searchParams.get('popup') === '1';
      if (popup) keepOpener(res);
      try {
        const providerId = params.provider ?? '';
        const { url: location, flow } = await services.oidc.begin({ providerId, redirectUri: oidcRedirectUri(req, providerId), next, popup });
        appendSetCookie(res, flowCookie(req, sealOidcFlow(flow, secret), Math.floor(OIDC_FLOW_TTL_MS / 1000)));
        return { status: 303, location };
      } catch (err) {
        return failed(err, { next, popup }, url.pathname);
      }
    },
  };

  const callback: Route = {
    method: 'GET',
    path: '/api/auth/oidc/:provider/callback',
    doc: {
      summary: 'Where the provider sends the browser back: checks state, exchanges the code (with the PKCE verifier), validates the ID token (nonce), and signs in.',
      tag: 'accounts',
      params: PROVIDER_PARAM,
      responses: {
        303: { description: `Signed in (the session cookie is set): to the start's \`next\`, or /signin/done?popup=1 in a popup. ${REDIRECT_ERRORS}`, headers: ['location', 'set-cookie'] },
      },
      errors: [],
    },
    handle: async ({ req, res, url, params }) => {
      const flow: OidcFlow | null = openOidcFlow(readOwnCookie(req.headers.cookie, FLOW_COOKIE).value, secret, Date.now());
      // Used once, whatever happens: a replayed callback finds no flow.
      appendSetCookie(res, clearFlowCookie(req));
      const outcome = { next: flow?.next ?? safeNextPath(null), popup: flow?.popup ?? false };
      if (outcome.popup) keepOpener(res);
      try {
        const providerId = params.provider ?? '';
        const identity = await services.oidc.finish({ providerId, redirectUri: oidcRedirectUri(req, providerId), callbackUrl: url, flow });
        // A popup's session is the top-level site's own (first-party) cookie; the embed's frame takes it over (docs/embed.md).
        await startPersonSession(services, req, res, identity);
        // The session this browser had (another account, or this one) would be left behind, live and unlisted by any cookie.
        const previous = staffToken(req);
        if (previous) await services.auth.logout(previous);
        return { status: 303, location: outcome.popup ? signInDonePath(outcome) : outcome.next };
      } catch (err) {
        return failed(err, outcome, url.pathname);
      }
    },
  };

  return [start, callback];
}
