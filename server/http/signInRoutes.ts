import type { IncomingMessage, ServerResponse } from 'node:http';
import { cookieName, readOwnCookie } from '../../lib/domain/cookieNames';
import { AppError, toAppError } from '../../lib/domain/errors';
import { safeNextPath } from '../../lib/domain/nextPath';
import { parseOrThrow } from '../../lib/domain/validation';
import { AccountResponseSchema, EmailLinkRequestSchema, EmailLinkVerifySchema, FrameCodeResponseSchema, FrameSessionRequestSchema, SessionResponseSchema } from '../../lib/contract/signIn';
import type { Services } from '../../lib/services';
import { EmailAddressSchema, LINK_TTL_MS, linkProblemOf, looksLikeSecret, newSecret } from '../../lib/services/signIn/emailLinks';
import { currentSignInMethods } from '../../lib/services/signIn/methods';
import type { User } from '../../lib/store/accountStore';
import { negotiateLocale } from '../../app/i18n/locales';
import type { Logger } from '../log';
import { readFormBody, readJsonBody } from './body';
import { appendSetCookie, siteCookie } from './cookies';
import { isHttps } from './guestSession';
import { clientAddress } from './origin';
import { startPersonSession } from './person';
import { JSON_BODY_ERRORS, OkSchema } from './routeDoc';
import type { Route } from './router';
import { staffCookie, staffToken } from './staffSession';
import { NOT_STORED_CACHE_CONTROL } from '../pageCache/sharedPageHeaders';

/** The sign-in page (app/signin). */
export const SIGN_IN_PAGE = '/signin';
/** Where the sign-in page's email form posts without JavaScript. */
export const EMAIL_FORM_PATH = '/signin/email';
/** Where the links in sign-in mail lead: the token is in the query, which the request log never writes (server/http/requestLog.ts). */
export const SIGN_IN_LINK_PATH = '/signin/link';
/** Where a commenter goes once signed in when no (safe) `next` was given. */
const COMMENTER_HOME = '/';

/**
 * The browser's half of a link: a random nonce in an httpOnly cookie, whose hash is stored with
 * each link asked for from this browser. A link followed where the cookie is not (another browser,
 * a mail scanner) signs nobody in and is not used up.
 */
const LINK_COOKIE = 'tl_link';

function linkNonce(req: IncomingMessage): string | undefined {
  const value = readOwnCookie(req.headers.cookie, LINK_COOKIE).value;
  return looksLikeSecret(value) ? value : undefined;
}

/** The request's nonce, or a new one with its cookie (SameSite=Lax: a link clicked in a mail client is a top-level navigation, which carries it). */
function ensureLinkNonce(req: IncomingMessage, res: ServerResponse): string {
  const existing = linkNonce(req);
  if (existing) return existing;
  const nonce = newSecret();
  const secure = isHttps(req);
  appendSetCookie(res, siteCookie(cookieName(LINK_COOKIE, secure), nonce, Math.floor(LINK_TTL_MS / 1000), ['HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])]));
  return nonce;
}

export function accountView(user: User) {
  return { id: user.id, displayName: user.displayName, role: user.role, badges: user.badges };
}

function emailLinksOf(services: Services) {
  if (!services.emailLinks) throw new AppError('sign_in_method_off', { message: 'Email sign-in is not set up on this site (SMTP_URL).' });
  return services.emailLinks;
}

async function requestLink(services: Services, req: IncomingMessage, res: ServerResponse, fields: { email?: unknown; next?: unknown }): Promise<void> {
  const emailLinks = emailLinksOf(services);
  const email = parseOrThrow(EmailLinkRequestSchema.pick({ email: true }).extend({ email: EmailAddressSchema }), { email: fields.email ?? '' }).email;
  await emailLinks.request({
    email,
    nextPath: safeNextPath(typeof fields.next === 'string' ? fields.next : null, COMMENTER_HOME),
    browserNonce: ensureLinkNonce(req, res),
    clientKey: clientAddress(req),
    locale: negotiateLocale(req.headers['accept-language']),
  });
}

/** The sign-in page again, saying what went wrong (`reason`: why a link was refused). */
function backToSignIn(params: Record<string, string>): string {
  return `${SIGN_IN_PAGE}?${new URLSearchParams(params).toString()}`;
}

/**
 * Signing in by email link (docs/api.md, "Signing in"), the session a sign-in hands to the embed's
 * frame, and who is signed in. JSON routes for pages with JavaScript; `formRoutes` for the plain
 * forms and the link in the mail, which answer with pages (redirects), never JSON.
 */
export function signInApiRoutes(services: Services): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/auth/session',
      doc: {
        summary: 'Who is signed in in this browser (any role; null: nobody), and the ways to sign in on this site.',
        tag: 'accounts',
        responses: { 200: { description: 'The account, or null; `Cache-Control: private, no-store`.', schema: SessionResponseSchema } },
        errors: [],
      },
      handle: async ({ req }) => {
        const session = await services.auth.person(staffToken(req));
        const methods = { ...currentSignInMethods(), email: services.emailLinks !== null };
        return { status: 200, body: { account: session ? accountView(session.user) : null, methods }, headers: { 'cache-control': NOT_STORED_CACHE_CONTROL } };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/email-link',
      doc: {
        summary:
          'Send a one-time sign-in link to an address (valid 15 minutes, once, in this browser only: sets the httpOnly `tl_link` cookie it is bound to). The answer is the same whether or not an account has the address.',
        tag: 'accounts',
        body: { schema: EmailLinkRequestSchema },
        responses: { 202: { description: 'The mail is on its way.', schema: OkSchema } },
        errors: [...JSON_BODY_ERRORS, 'sign_in_method_off', 'rate_limited', 'unavailable'],
      },
      handle: async ({ req, res }) => {
        emailLinksOf(services);
        const body = parseOrThrow(EmailLinkRequestSchema, await readJsonBody(req));
        await requestLink(services, req, res, body);
        return { status: 202, body: { ok: true } };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/email-link/verify',
      doc: {
        summary: 'Sign in with the token of a link (what following it does), in the browser that asked for it; sets the session cookie.',
        tag: 'accounts',
        body: { schema: EmailLinkVerifySchema },
        responses: { 200: { description: 'Signed in.', schema: AccountResponseSchema } },
        errors: [...JSON_BODY_ERRORS, 'sign_in_method_off', 'sign_in_link_invalid', 'account_removed'],
      },
      handle: async ({ req, res }) => {
        const emailLinks = emailLinksOf(services);
        const { token } = parseOrThrow(EmailLinkVerifySchema, await readJsonBody(req));
        const { identity } = await emailLinks.follow({ token, browserNonce: linkNonce(req) });
        const { user } = await startPersonSession(services, req, res, identity);
        return { status: 200, body: { account: accountView(user) } };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/frame-code',
      doc: {
        summary: "A one-time code (valid a minute) that hands this browser's sign-in to the embed's frame: the sign-in popup posts it to the frame, which swaps it at /api/auth/frame-session.",
        tag: 'accounts',
        responses: { 200: { description: 'The code.', schema: FrameCodeResponseSchema } },
        errors: ['cross_site', 'unsupported_media_type', 'sign_in_required'],
      },
      handle: async ({ req }) => {
        const session = await services.auth.person(staffToken(req));
        if (!session) throw new AppError('sign_in_required');
        // The frame's session says how the person signed in, as the popup's does.
        const sessions = await services.store.accounts.listSessions({ userId: session.user.id, now: new Date().toISOString() });
        const method = sessions.find((s) => s.id === session.sessionId)?.method ?? 'password';
        const { code, expiresInMs } = await services.frameCodes.mint({ userId: session.user.id, method });
        return { status: 200, body: { code, expiresIn: Math.floor(expiresInMs / 1000) }, headers: { 'cache-control': NOT_STORED_CACHE_CONTROL } };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/frame-session',
      doc: {
        summary: "Swap a frame code for a session of the embed's frame: sets the session cookie as a frame on another site keeps it (SameSite=None; Partitioned over HTTPS).",
        tag: 'accounts',
        body: { schema: FrameSessionRequestSchema },
        responses: { 200: { description: 'Signed in inside the frame.', schema: AccountResponseSchema } },
        errors: [...JSON_BODY_ERRORS, 'sign_in_code_invalid', 'account_removed'],
      },
      handle: async ({ req, res }) => {
        const { code } = parseOrThrow(FrameSessionRequestSchema, await readJsonBody(req));
        const { userId, method } = await services.frameCodes.redeem(code);
        const { token, user } = await services.auth.signInAccount({ userId, method, userAgent: req.headers['user-agent'] });
        appendSetCookie(res, staffCookie(token, req, { framed: true }));
        return { status: 200, body: { account: accountView(user) } };
      },
    },
  ];
}

/** The sign-in page's email form without JavaScript, and the link in the mail: both answer with a page. */
export function signInPageRoutes(services: Services, log: Logger): Route[] {
  return [
    {
      method: 'POST',
      path: EMAIL_FORM_PATH,
      doc: {
        summary: 'Ask for a sign-in link without JavaScript (the sign-in page’s form: `email`, `next`, `popup`).',
        tag: 'accounts',
        body: { schema: EmailLinkRequestSchema, contentType: 'application/x-www-form-urlencoded' },
        responses: { 303: { description: 'Back to the sign-in page: `?sent=1` (the mail is on its way), or `?error=<code>`.', headers: ['location'] } },
        errors: ['cross_site', 'payload_too_large'],
      },
      handle: async ({ req, res }) => {
        let keep: Record<string, string> = {};
        try {
          const form = await readFormBody(req);
          // Asked in the popup, the link leads to the popup's page: opened in the popup itself, it hands the sign-in to the
          // frame at once; opened in a tab of its own, it says "signed in", and the popup (polling) hands it over.
          keep = { ...(form.popup === '1' && { popup: '1' }), ...(form.next && { next: safeNextPath(form.next, COMMENTER_HOME) }) };
          await requestLink(services, req, res, { email: form.email, next: form.popup === '1' ? `${SIGN_IN_PAGE}?popup=1` : form.next });
          return { status: 303, location: backToSignIn({ sent: '1', ...keep }) };
        } catch (err) {
          const error = toAppError(err);
          if (error.status >= 500) log.error(`${EMAIL_FORM_PATH} failed: ${error.detail ?? error.message}`);
          return { status: 303, location: backToSignIn({ error: error.code, ...keep }) };
        }
      },
    },
    {
      method: 'GET',
      path: SIGN_IN_LINK_PATH,
      doc: {
        summary: 'The link in a sign-in mail (`?token=`): signs in the browser that asked for it and goes on to where it was asked from.',
        tag: 'accounts',
        responses: {
          303: {
            description: 'On to the page the link was asked from, signed in; or to the sign-in page with `?error=sign_in_link_invalid&reason=<malformed|unknown|expired|used|other_browser>`.',
            headers: ['location'],
          },
        },
        errors: [],
      },
      handle: async ({ req, res, url }) => {
        try {
          const emailLinks = emailLinksOf(services);
          const { identity, nextPath } = await emailLinks.follow({ token: url.searchParams.get('token'), browserNonce: linkNonce(req) });
          await startPersonSession(services, req, res, identity);
          return { status: 303, location: nextPath };
        } catch (err) {
          const error = toAppError(err);
          // The token is in the URL: the log line names the path only.
          if (error.status >= 500) log.error(`${SIGN_IN_LINK_PATH} failed: ${error.detail ?? error.message}`);
          const reason = linkProblemOf(error);
          return { status: 303, location: backToSignIn({ error: error.code, ...(reason && { reason }) }) };
        }
      },
    },
  ];
}
