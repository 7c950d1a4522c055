import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../../lib/services';
import { authorOf, type Author } from '../../lib/services/author';
import { ensureGuest } from './guestSession';
import { staffCookie, staffToken } from './staffSession';
import { appendSetCookie } from './cookies';
import type { ProvenIdentity } from '../../lib/domain/identity';
import type { User } from '../../lib/store/accountStore';

/**
 * The request's author (lib/services/author.ts): the signed-in account, or else the guest, given
 * a guest cookie when it has none (`framed`: one that works in the embed's cross-site frame).
 */
export function authorOfRequest(services: Services, req: IncomingMessage, res: ServerResponse, options: { framed?: boolean } = {}): Promise<Author> {
  return authorOf(services.auth, staffToken(req), () => ensureGuest(req, res, services.sessionSecret, options));
}

/**
 * Signs in the person a sign-in method proved (SSO, an email link, OpenID Connect) and sets the
 * session cookie: the account is found or made by services.auth.signInWith.
 */
export async function startPersonSession(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
  identity: ProvenIdentity,
  options: { framed?: boolean } = {},
): Promise<{ user: User; created: boolean }> {
  const { token, user, created } = await services.auth.signInWith({ identity, userAgent: req.headers['user-agent'] });
  appendSetCookie(res, staffCookie(token, req, options));
  return { user, created };
}
