import { SsoSignInQuerySchema, SsoSignInRequestSchema, SsoSignInResponseSchema, type Account } from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { openedBySso, sameSsoPerson } from '../../lib/services/signIn/ssoSessions';
import type { User } from '../../lib/store/accountStore';
import type { Logger } from '../log';
import { readJsonBody } from './body';
import { appendSetCookie } from './cookies';
import { startPersonSession } from './person';
import { JSON_BODY_ERRORS } from './routeDoc';
import type { Route } from './router';
import { clearStaffCookie, staffToken } from './staffSession';
import { parseQuery } from './params';

const accountOf = (user: User): Account => ({ id: user.id, displayName: user.displayName, role: user.role, badges: user.badges });

/**
 * The newsroom's own login (docs/security.md, "The site's sign-in token"): the page (embed.js, in
 * the frame) hands over the token the host site signed for its user, and this signs them in.
 */
export function ssoRoutes(services: Services, options: { log: Pick<Logger, 'warn'> }): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/auth/sso',
      doc: {
        summary:
          "Sign in with the host site's signed token (its user's id, name, email and badges; sets the session cookie), or with `token: null` end the session such a token opened. `?frame=1`: from the embed's cross-site frame.",
        tag: 'accounts',
        query: SsoSignInQuerySchema,
        body: { schema: SsoSignInRequestSchema },
        responses: { 200: { description: 'Who is signed in now, and whether that changed.', schema: SsoSignInResponseSchema } },
        errors: [...JSON_BODY_ERRORS, 'sign_in_method_off', 'sso_token_invalid', 'account_removed'],
      },
      handle: async ({ req, res, url }) => {
        const sso = services.sso;
        if (!sso) throw new AppError('sign_in_method_off', { message: "Signing in with the site's own login is not set up here (SSO_SECRET or SSO_JWKS_URL)." });
        const query = parseQuery(SsoSignInQuerySchema, url);
        const { token } = parseOrThrow(SsoSignInRequestSchema, await readJsonBody(req));
        const previous = staffToken(req);
        const current = await services.auth.person(previous);

        if (token === null) {
          // The host's user signed out there; a session opened another way (an email link) is the reader's own.
          const ends = current !== null && (await openedBySso(services.store.accounts, current, new Date()));
          if (ends) {
            await services.auth.logout(previous!);
            appendSetCookie(res, clearStaffCookie(req));
          }
          return { status: 200, body: { account: current && !ends ? accountOf(current.user) : null, changed: ends } };
        }

        const identity = await sso.verify(token).catch((err: unknown) => {
          // Why, for the operator (the host's mistakes show here); the token itself never.
          if (AppError.is(err) && err.detail) options.log.warn(err.detail);
          throw err;
        });
        const same = await sameSsoPerson(services.store.accounts, current, identity);
        if (same) return { status: 200, body: { account: accountOf(same), changed: false } };
        const { user } = await startPersonSession(services, req, res, identity, { framed: query.frame === '1' });
        // Another person signed in on the host: the one before is signed out on this browser.
        if (current) await services.auth.logout(previous!);
        return { status: 200, body: { account: accountOf(user), changed: true } };
      },
    },
  ];
}
