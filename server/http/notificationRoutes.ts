import {
  MarkReadRequestSchema,
  MarkReadResponseSchema,
  MuteByNameRequestSchema,
  MuteMergeRequestSchema,
  MuteMergeResponseSchema,
  MutedSchema,
  MuteRequestSchema,
  MutesResponseSchema,
  MuteStateSchema,
  NotificationListQuerySchema,
  NotificationListSchema,
  ThreadWatchesResponseSchema,
  ThreadWatchRequestSchema,
  ThreadWatchStateSchema,
  UnreadCountSchema,
} from '../../lib/contract/notifications';
import type { ErrorCode } from '../../lib/contract/errors';
import { z } from '../../lib/contract/zod';
import { toAppError } from '../../lib/domain/errors';
import { isStaffRole } from '../../lib/domain/identity';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readFormBody, readJsonBody } from './body';
import { requireOwnPage } from './formRoutes';
import { requirePerson } from './meRoutes';
import { slugParam, parseQuery, loosePersonIdParam } from './params';
import { JSON_BODY_ERRORS, SLUG_PARAM, type RouteDoc } from './routeDoc';
import type { Route } from './router';
import { staffToken } from './staffSession';

const PERSON_ERRORS: ErrorCode[] = ['sign_in_required'];
const doc = (d: Omit<RouteDoc, 'tag'>): RouteDoc => ({ tag: 'accounts', ...d, errors: [...PERSON_ERRORS, ...d.errors] });
const PERSON_PARAM = { personId: z.string() };
/** A bodiless change (DELETE, a PUT without a body) is refused from another site like any other. */
const CHANGE_ERRORS: ErrorCode[] = ['cross_site', 'unsupported_media_type'];

/**
 * The signed-in person's bell and notice settings (docs/api.md, "Notifications"; docs/notifications.md).
 * Handlers validate, call services.notifications and answer: every call is about the caller alone.
 */
export function notificationRoutes(services: Services): Route[] {
  const notices = services.notifications;
  return [
    {
      method: 'GET',
      path: '/api/me/notifications',
      doc: doc({
        summary: 'The bell’s list, newest first (replies, mentions, moderators’ decisions on one’s comments), with the unread count. Keyset-paged: pass `next` as `before`.',
        query: NotificationListQuerySchema,
        responses: { 200: { description: 'A page of notices.', schema: NotificationListSchema } },
        errors: ['invalid_request'],
      }),
      handle: async ({ req, url }) => {
        const { user } = await requirePerson(services, req);
        const query = parseQuery(NotificationListQuerySchema, url);
        return { status: 200, body: await notices.list({ userId: user.id, before: query.before, limit: query.limit }) };
      },
    },
    {
      method: 'GET',
      path: '/api/me/notifications/count',
      doc: doc({ summary: 'How many notices are unread; for moderators and admins also how many comments wait on the desk (`queue`).', responses: { 200: { description: 'The counts.', schema: UnreadCountSchema } }, errors: [] }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        const [unread, queue] = await Promise.all([notices.unread(user.id), isStaffRole(user.role) ? services.store.notifications.queueCount() : undefined]);
        return { status: 200, body: { unread, ...(queue !== undefined && { queue }) } };
      },
    },
    {
      method: 'POST',
      path: '/api/me/notifications/read',
      doc: doc({
        summary: 'Mark notices read: `{ "ids": [...] }` (others’ ids change nothing) or `{ "all": true }`. The person’s other open pages hear the new count at once.',
        body: { schema: MarkReadRequestSchema },
        responses: { 200: { description: 'How many changed, and the unread count now.', schema: MarkReadResponseSchema } },
        errors: JSON_BODY_ERRORS,
      }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        const read = parseOrThrow(MarkReadRequestSchema, await readJsonBody(req));
        return { status: 200, body: await notices.markRead({ userId: user.id, read }) };
      },
    },
    {
      method: 'GET',
      path: '/api/me/mutes',
      doc: doc({ summary: 'The people one muted, newest first: nothing they do tells one anything.', responses: { 200: { description: 'The muted people.', schema: MutesResponseSchema } }, errors: [] }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        return { status: 200, body: { mutes: await notices.mutes(user.id) } };
      },
    },
    {
      method: 'POST',
      path: '/api/me/mutes',
      doc: doc({
        summary:
          'Mute an account by its display name (`{ "displayName" }`), or the author of a visible comment, account or guest (`{ "commentId" }`: a comment’s menu; the answer then does not say whom).',
        body: { schema: MuteRequestSchema },
        responses: { 200: { description: 'Muted (muting twice changes nothing).', schema: MutedSchema } },
        errors: [...JSON_BODY_ERRORS, 'person_not_found', 'comment_not_found', 'cannot_mute_self'],
      }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        const request = parseOrThrow(MuteRequestSchema, await readJsonBody(req));
        if ('commentId' in request) {
          await notices.muteAuthorOf({ userId: user.id, commentId: request.commentId });
          return { status: 200, body: { muted: true } };
        }
        return { status: 200, body: { personId: await notices.muteByName({ userId: user.id, displayName: request.displayName }), muted: true } };
      },
    },
    {
      method: 'GET',
      path: '/api/me/mutes/:personId',
      doc: doc({ summary: 'Whether one muted this person.', params: PERSON_PARAM, responses: { 200: { description: 'The state.', schema: MuteStateSchema } }, errors: ['person_not_found'] }),
      handle: async ({ req, params }) => {
        const { user } = await requirePerson(services, req);
        const personId = loosePersonIdParam(params.personId);
        return { status: 200, body: { personId, muted: await notices.isMuted({ userId: user.id, personId }) } };
      },
    },
    {
      method: 'PUT',
      path: '/api/me/mutes/:personId',
      doc: doc({
        summary: 'Mute a person (an account, or a guest who wrote here) by id, as a comment’s menu does.',
        params: PERSON_PARAM,
        responses: { 200: { description: 'Muted (muting twice changes nothing).', schema: MuteStateSchema } },
        errors: [...CHANGE_ERRORS, 'person_not_found', 'cannot_mute_self'],
      }),
      handle: async ({ req, params }) => {
        const { user } = await requirePerson(services, req);
        const personId = loosePersonIdParam(params.personId);
        await notices.mute({ userId: user.id, personId });
        return { status: 200, body: { personId, muted: true } };
      },
    },
    {
      method: 'DELETE',
      path: '/api/me/mutes/:personId',
      doc: doc({ summary: 'Unmute a person (unmuting one not muted changes nothing).', params: PERSON_PARAM, responses: { 200: { description: 'Unmuted.', schema: MuteStateSchema } }, errors: [...CHANGE_ERRORS, 'person_not_found'] }),
      handle: async ({ req, params }) => {
        const { user } = await requirePerson(services, req);
        const personId = loosePersonIdParam(params.personId);
        await notices.unmute({ userId: user.id, personId });
        return { status: 200, body: { personId, muted: false } };
      },
    },
    {
      method: 'GET',
      path: '/api/me/threads',
      doc: doc({ summary: 'The threads one follows (their new top-level comments in the daily digest) or blocked (silenced), newest first.', responses: { 200: { description: 'The threads.', schema: ThreadWatchesResponseSchema } }, errors: [] }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        return { status: 200, body: { threads: await notices.watches(user.id) } };
      },
    },
    {
      method: 'GET',
      path: '/api/me/threads/:slug',
      doc: doc({ summary: 'Whether one follows or blocked this thread (`mode: null`: neither).', params: SLUG_PARAM, responses: { 200: { description: 'The state.', schema: ThreadWatchStateSchema } }, errors: ['thread_not_found'] }),
      handle: async ({ req, params }) => {
        const { user } = await requirePerson(services, req);
        const slug = slugParam(params.slug);
        return { status: 200, body: { slug, mode: await notices.watchOf({ userId: user.id, slug }) } };
      },
    },
    {
      method: 'PUT',
      path: '/api/me/threads/:slug',
      doc: doc({
        summary: 'Follow (`{ "mode": "follow" }`) or block (`{ "mode": "block" }`) a thread; one replaces the other.',
        params: SLUG_PARAM,
        body: { schema: ThreadWatchRequestSchema },
        responses: { 200: { description: 'The state now.', schema: ThreadWatchStateSchema } },
        errors: [...JSON_BODY_ERRORS, 'thread_not_found'],
      }),
      handle: async ({ req, params }) => {
        const { user } = await requirePerson(services, req);
        const slug = slugParam(params.slug);
        const { mode } = parseOrThrow(ThreadWatchRequestSchema, await readJsonBody(req));
        await notices.watch({ userId: user.id, slug, mode });
        return { status: 200, body: { slug, mode } };
      },
    },
    {
      method: 'DELETE',
      path: '/api/me/threads/:slug',
      doc: doc({ summary: 'Neither follow nor block the thread any more.', params: SLUG_PARAM, responses: { 200: { description: 'The state now.', schema: ThreadWatchStateSchema } }, errors: [...CHANGE_ERRORS, 'thread_not_found'] }),
      handle: async ({ req, params }) => {
        const { user } = await requirePerson(services, req);
        const slug = slugParam(params.slug);
        await notices.unwatch({ userId: user.id, slug });
        return { status: 200, body: { slug, mode: null } };
      },
    },
    {
      method: 'POST',
      path: '/api/me/mutes/merge',
      doc: doc({
        summary:
          'A guest’s mutes from their browser, merged into the account they signed in to (issue 19): each comment’s author is muted; comments that name nobody mutable (gone, hidden, one’s own) are listed as `skipped`, not refused. Answers the whole list after.',
        body: { schema: MuteMergeRequestSchema },
        responses: { 200: { description: 'Merged.', schema: MuteMergeResponseSchema } },
        errors: JSON_BODY_ERRORS,
      }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        const { commentIds } = parseOrThrow(MuteMergeRequestSchema, await readJsonBody(req));
        return { status: 200, body: await notices.muteAuthorsOf({ userId: user.id, commentIds }) };
      },
    },
  ];
}

/** Where the settings page's notices section is, and what a form post says back to it. */
export const NOTICES_SECTION = '/account';
const NOTICES_ANCHOR = '#notices';

const MuteFormSchema = z.object({ displayName: z.string() });
const UnmuteFormSchema = z.object({ personId: z.string() });
const UnwatchFormSchema = z.object({ slug: z.string() });

/**
 * The settings page's notices section without JavaScript: each form posts here and the browser goes
 * back to the section, with `?notices=<done>` or `?noticesError=<code>&field=<field>`; signed out, to
 * the sign-in page. Proof of origin as the comment form's (formRoutes.ts requireOwnPage).
 */
export function noticeFormRoutes(services: Services): Route[] {
  const form = (name: 'mute' | 'unmute' | 'unwatch', schema: z.ZodType, summary: string, act: (userId: string, fields: Record<string, string>) => Promise<void>): Route => ({
    method: 'POST',
    path: `/account/notices/${name}`,
    doc: {
      summary,
      tag: 'accounts',
      body: { schema, contentType: 'application/x-www-form-urlencoded' },
      responses: {
        303: { description: 'Back to the settings’ notices section with `?notices=' + name + '`, or `?noticesError=<code>&field=<field>`; to `/signin` when signed out.', headers: ['location'] },
      },
      errors: ['cross_site', 'payload_too_large'],
    },
    handle: async ({ req }) => {
      try {
        requireOwnPage(req);
        const session = await services.auth.person(staffToken(req));
        if (!session) return { status: 303, location: `/signin?${new URLSearchParams({ next: NOTICES_SECTION }).toString()}` };
        await act(session.user.id, await readFormBody(req));
        return { status: 303, location: `${NOTICES_SECTION}?notices=${name}${NOTICES_ANCHOR}` };
      } catch (err) {
        const error = toAppError(err);
        if (error.status >= 500) throw error;
        const field = error.fields ? Object.keys(error.fields)[0] : undefined;
        return { status: 303, location: `${NOTICES_SECTION}?${new URLSearchParams({ noticesError: error.code, ...(field && { field }) }).toString()}${NOTICES_ANCHOR}` };
      }
    },
  });
  const notices = services.notifications;
  return [
    form('mute', MuteFormSchema, 'Mute an account by display name without JavaScript (the settings page’s form).', async (userId, fields) => {
      const { displayName } = parseOrThrow(MuteByNameRequestSchema, { displayName: fields.displayName ?? '' });
      await notices.muteByName({ userId, displayName });
    }),
    form('unmute', UnmuteFormSchema, 'Unmute a person without JavaScript (the settings page’s list).', (userId, fields) => notices.unmute({ userId, personId: loosePersonIdParam(fields.personId) })),
    form('unwatch', UnwatchFormSchema, 'Stop following or blocking a thread without JavaScript (the settings page’s list).', (userId, fields) => notices.unwatch({ userId, slug: slugParam(fields.slug) })),
  ];
}
