import type { IncomingMessage } from 'node:http';
import {
  ClaimResponseSchema,
  DeleteAccountRequestSchema,
  GuestCommentsSchema,
  OwnAccountResponseSchema,
  PersonExportSchema,
  RenameRequestSchema,
  SessionsResponseSchema,
  SignedOutSchema,
} from '../../lib/contract/ownData';
import type { ErrorCode } from '../../lib/contract/errors';
import { z } from '../../lib/contract/zod';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import type { SessionUser } from '../../lib/store/accountStore';
import { ownAccount } from '../../lib/services/ownDataService';
import { readJsonBody } from './body';
import { appendSetCookie } from './cookies';
import { forgetGuestCookies, guestFromRequest } from './guestSession';
import { JSON_BODY_ERRORS, OkSchema, STAFF_ERRORS, type RouteDoc } from './routeDoc';
import type { Route } from './router';
import { clearStaffCookie, requireStaff, staffToken } from './staffSession';
import { loosePersonIdParam } from './params';

/** The signed-in person (any role), checked against the store on every request. */
export async function requirePerson(services: Services, req: IncomingMessage): Promise<SessionUser> {
  const session = await services.auth.person(staffToken(req));
  if (!session) throw new AppError('sign_in_required');
  return session;
}

const PERSON_ID_PARAM = { id: z.string() };
/** Refused to anyone without a live session, besides the route's own refusals. */
const PERSON_ERRORS: ErrorCode[] = ['sign_in_required'];
const doc = (d: Omit<RouteDoc, 'tag'>): RouteDoc => ({ tag: 'accounts', ...d, errors: [...PERSON_ERRORS, ...d.errors] });

/** The download's headers: a file to save, never kept by a cache. */
function attachment(userId: string): Record<string, string> {
  return { 'content-disposition': `attachment; filename="threadline-data-${userId}.json"` };
}

/**
 * A person's own data (docs/api.md, "Your own data"): their settings, sessions, export and the
 * deletion of their account, claiming what they wrote as a guest; and the admins' export and
 * deletion of a person on request. Handlers validate, call services.ownData and answer.
 */
export function meRoutes(services: Services): Route[] {
  const own = services.ownData;
  return [
    {
      method: 'GET',
      path: '/api/me/account',
      doc: doc({ summary: 'The signed-in person’s account as their settings show it.', responses: { 200: { description: 'The account.', schema: OwnAccountResponseSchema } }, errors: [] }),
      handle: async ({ req }) => ({ status: 200, body: { account: ownAccount((await requirePerson(services, req)).user) } }),
    },
    {
      method: 'PUT',
      path: '/api/me/name',
      doc: doc({
        summary: 'Change one’s display name (the naming rules of a guest’s name; unique per site; a few times a day). Their comments show the new name at once.',
        body: { schema: RenameRequestSchema },
        responses: { 200: { description: 'The account, renamed.', schema: OwnAccountResponseSchema } },
        errors: [...JSON_BODY_ERRORS, 'display_name_taken'],
      }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        const { displayName } = parseOrThrow(RenameRequestSchema, await readJsonBody(req));
        return { status: 200, body: { account: ownAccount(await own.rename({ user, displayName })) } };
      },
    },
    {
      method: 'GET',
      path: '/api/me/sessions',
      doc: doc({ summary: 'The person’s live sessions (devices), newest first, this one marked `current`.', responses: { 200: { description: 'The sessions.', schema: SessionsResponseSchema } }, errors: [] }),
      handle: async ({ req }) => {
        const { user, sessionId } = await requirePerson(services, req);
        return { status: 200, body: { sessions: await own.listSessions({ user, currentSessionId: sessionId }) } };
      },
    },
    // Before `/api/me/sessions/:id`: the router takes the first route that matches.
    {
      method: 'DELETE',
      path: '/api/me/sessions/others',
      doc: doc({ summary: 'Sign out every other device: their open pages lose the account at once, on every node.', responses: { 200: { description: 'How many sessions ended.', schema: SignedOutSchema } }, errors: ['cross_site', 'unsupported_media_type'] }),
      handle: async ({ req }) => {
        const { user, sessionId } = await requirePerson(services, req);
        return { status: 200, body: { signedOut: await own.signOutOthers({ user, currentSessionId: sessionId }) } };
      },
    },
    {
      method: 'DELETE',
      path: '/api/me/sessions/:id',
      doc: doc({
        summary: 'Sign out one device (this one too, when it is the current session’s id).',
        params: { id: z.string() },
        responses: { 200: { description: 'Signed out.', schema: OkSchema } },
        errors: ['cross_site', 'unsupported_media_type', 'session_not_found'],
      }),
      handle: async ({ req, res, params }) => {
        const { user, sessionId } = await requirePerson(services, req);
        await own.signOut({ user, sessionId: params.id ?? '' });
        if (params.id === sessionId) appendSetCookie(res, clearStaffCookie(req));
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'GET',
      path: '/api/me/export',
      doc: doc({
        summary: 'Download everything about oneself as JSON: account, sign-in methods (no secrets), sessions, comments in every status with their text, likes, reports made, bans.',
        responses: { 200: { description: 'A JSON file (`Content-Disposition: attachment`).', schema: PersonExportSchema, headers: ['content-disposition'] } },
        errors: [],
      }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        return { status: 200, body: await own.exportData(user.id), headers: attachment(user.id) };
      },
    },
    {
      method: 'DELETE',
      path: '/api/me',
      doc: doc({
        summary: 'Delete one’s account, confirmed by typing one’s display name: comments become deleted placeholders (replies keep their place) and personal data leaves the database (docs/security.md). Signs out.',
        body: { schema: DeleteAccountRequestSchema },
        responses: { 200: { description: 'Deleted.', schema: OkSchema } },
        errors: [...JSON_BODY_ERRORS, 'forbidden'],
      }),
      handle: async ({ req, res }) => {
        const { user } = await requirePerson(services, req);
        const { confirm } = parseOrThrow(DeleteAccountRequestSchema, await readJsonBody(req));
        if (confirm !== user.displayName) throw new AppError('invalid_request', { fields: { confirm: ['must be your display name, as it is now'] } });
        await own.erase({ userId: user.id, by: { self: true } });
        appendSetCookie(res, clearStaffCookie(req));
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'GET',
      path: '/api/me/guest',
      doc: doc({ summary: 'How many comments this browser’s guest wrote (what a claim would make the account’s).', responses: { 200: { description: 'The count.', schema: GuestCommentsSchema } }, errors: [] }),
      handle: async ({ req }) => {
        await requirePerson(services, req);
        return { status: 200, body: { comments: await own.guestComments(guestFromRequest(req, services.sessionSecret)) } };
      },
    },
    {
      method: 'POST',
      path: '/api/me/claim-guest',
      doc: doc({
        summary: 'Make what this browser’s guest wrote the account’s: comments (under the account’s name), likes (one per comment), reports; then forget the guest cookie.',
        responses: { 200: { description: 'What moved.', schema: ClaimResponseSchema } },
        errors: ['cross_site', 'unsupported_media_type'],
      }),
      handle: async ({ req, res }) => {
        const { user } = await requirePerson(services, req);
        const guestId = guestFromRequest(req, services.sessionSecret);
        const claimed = guestId ? await own.claimGuest({ guestId, user }) : { comments: 0, likes: 0, reports: 0 };
        appendSetCookie(res, forgetGuestCookies(req));
        return { status: 200, body: claimed };
      },
    },
    {
      method: 'GET',
      path: '/api/people/:id/export',
      doc: {
        summary: 'A person’s export, for an admin answering their request (as `GET /api/me/export`).',
        tag: 'accounts',
        access: 'admin',
        params: PERSON_ID_PARAM,
        responses: { 200: { description: 'A JSON file.', schema: PersonExportSchema, headers: ['content-disposition'] } },
        errors: [...STAFF_ERRORS, 'person_not_found'],
      },
      handle: async ({ req, params }) => {
        const { user: admin } = await requireStaff(services, req, 'admin');
        const personId = loosePersonIdParam(params.id);
        const data = await own.exportData(personId);
        await services.store.moderation.appendAudit({ actorId: admin.id, actorName: admin.username, action: 'person.export', target: personId });
        return { status: 200, body: data, headers: attachment(personId) };
      },
    },
    {
      method: 'DELETE',
      path: '/api/people/:id',
      doc: {
        summary: 'Delete a person’s account on their request, as they can themselves (audited by id only).',
        tag: 'accounts',
        access: 'admin',
        params: PERSON_ID_PARAM,
        responses: { 200: { description: 'Deleted.', schema: OkSchema } },
        errors: ['cross_site', 'unsupported_media_type', ...STAFF_ERRORS, 'person_not_found'],
      },
      handle: async ({ req, params }) => {
        const { user: admin } = await requireStaff(services, req, 'admin');
        await own.erase({ userId: loosePersonIdParam(params.id), by: { self: false, admin } });
        return { status: 200, body: { ok: true } };
      },
    },
  ];
}
