import {
  AdminThreadListResponseSchema,
  BannedWordsRequestSchema,
  BanRequestSchema,
  CommentResponseSchema,
  CreateThreadRequestSchema,
  DeletedThreadSchema,
  LoginRequestSchema,
  MeSchema,
  ModerationActionSchema,
  QueueItemSchema,
  ReportRequestSchema,
  ThreadDetailSchema,
  ThreadListQuerySchema,
  ThreadSettingsRequestSchema,
  UsernameSchema,
} from '../../lib/contract/api';
import type { ErrorCode } from '../../lib/contract/errors';
import { COMMENT_ACTIONS, THREAD_ACTIONS, type CommentAction, type ThreadAction } from '../../lib/contract/socket';
import { z } from '../../lib/contract/zod';
import { AuditRecordSchema, BanSchema } from '../../lib/contract/people';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readJsonBody } from './body';
import { authorOfRequest } from './person';
import { commentIdParam, slugParam, parseQuery } from './params';
import { COMMENT_ID_PARAM, JSON_BODY_ERRORS, OkSchema, SLUG_PARAM, STAFF_ERRORS, staffJson, type RouteDoc } from './routeDoc';
import type { Route } from './router';
import { clientAddress } from './origin';
import { appendSetCookie } from './cookies';
import { clearStaffCookie, requireStaff, signIn, staffToken } from './staffSession';

/** Each comment action's line in the API documentation. */
const COMMENT_ACTION_SUMMARIES: Record<CommentAction, string> = {
  remove: 'Remove a comment (moderation).',
  unremove: 'Undo a removal: the comment is back as it was (held, or visible and pinned as before) and the reports the removal closed are open again.',
  restore: 'Restore a removed comment.',
  pin: 'Feature a comment as an editors\' pick (the Picks strip above the thread), with an optional one-line `note` (at most 140 characters); again on a pick changes its note.',
  unpin: 'Unfeature a comment: it leaves the Picks strip.',
  approve: 'Approve a held comment, or keep a reported one (or one the spam service could not check).',
  reject: 'Reject a held comment.',
  lock: 'Lock a branch: no replies under this comment.',
  unlock: 'Unlock a branch.',
  answer: "Q&A: make a reply its question's answer (any visible reply in the question's branch; docs/moderation.md).",
  unanswer: "Q&A: this reply is no longer its question's answer: the question is open again.",
};

const THREAD_ACTION_SUMMARIES: Record<ThreadAction, string> = {
  lock: 'Lock a thread: no new comments.',
  unlock: 'Unlock a thread.',
};

/** An admin's hiding of a thread, and its undoing (docs/security.md, "Threads nobody wanted"). */
const VISIBILITY_ACTIONS = {
  hide: { hidden: true, summary: 'Hide a thread: gone for everyone but staff (404 thread_not_found), closed to posting; its open pages show it removed at once.' },
  unhide: { hidden: false, summary: 'Show a hidden thread again.' },
} as const;

/** A staff route with a JSON body: refused for the body's faults and the session's, besides its own `errors`. */

/** A moderator's action on a comment or a thread: an optional `{ reason }` body, and what it answers. */
const moderatorAction = (summary: string, params: RouteDoc['params'], answer: RouteDoc['responses'][number], errors: ErrorCode[]): RouteDoc =>
  staffJson({ summary, tag: 'moderation', access: 'staff', params, body: { schema: ModerationActionSchema, optional: true }, responses: { 200: answer }, errors });

const UserViewSchema = z.object({ user: MeSchema });
const ThreadBodySchema = z.object({ thread: ThreadDetailSchema });
const WordsSchema = z.object({ words: z.array(z.string()) });

/** An optional JSON body: none at all is an empty object (a lock needs no reason), whatever the content type says. */
async function optionalJson(req: Parameters<typeof readJsonBody>[0]): Promise<unknown> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length === 0 && req.headers['transfer-encoding'] === undefined) return {};
  return readJsonBody(req);
}

/**
 * Sign-in and every moderator and admin action (docs/api.md). Each checks the
 * session on the server and its role before doing anything.
 */
export function staffRoutes(services: Services): Route[] {
  const commentActions: Route[] = COMMENT_ACTIONS.map((action) => ({
    method: 'POST',
    path: `/api/comments/:id/${action}`,
    doc: moderatorAction(COMMENT_ACTION_SUMMARIES[action], COMMENT_ID_PARAM, { description: 'The comment as moderators see it.', schema: CommentResponseSchema }, [
      'comment_not_found',
      'already_handled',
    ]),
    handle: async ({ req, params }) => {
      const commentId = commentIdParam(params.id);
      const { user } = await requireStaff(services, req);
      const { reason, note } = parseOrThrow(ModerationActionSchema, await optionalJson(req));
      return { status: 200, body: await services.moderation.actOnComment({ commentId, action, actor: user, reason, note }) };
    },
  }));

  const threadActions: Route[] = THREAD_ACTIONS.map((action) => ({
    method: 'POST',
    path: `/api/threads/:slug/${action}`,
    doc: moderatorAction(THREAD_ACTION_SUMMARIES[action], SLUG_PARAM, { description: 'The thread.', schema: ThreadBodySchema }, ['thread_not_found']),
    handle: async ({ req, params }) => {
      const slug = slugParam(params.slug);
      const locked = action === 'lock';
      const { user } = await requireStaff(services, req);
      const { reason } = parseOrThrow(ModerationActionSchema, await optionalJson(req));
      return { status: 200, body: { thread: await services.moderation.setThreadLock({ slug, locked, actor: user, reason }) } };
    },
  }));

  const visibilityActions: Route[] = Object.entries(VISIBILITY_ACTIONS).map(([action, { hidden, summary }]) => ({
    method: 'POST',
    path: `/api/threads/:slug/${action}`,
    doc: staffJson({
      summary,
      tag: 'moderation',
      access: 'admin',
      params: SLUG_PARAM,
      body: { schema: ModerationActionSchema, optional: true },
      responses: { 200: { description: 'The thread as staff see it.', schema: ThreadBodySchema } },
      errors: ['thread_not_found'],
    }),
    handle: async ({ req, params }) => {
      const slug = slugParam(params.slug);
      const { user } = await requireStaff(services, req, 'admin');
      const { reason } = parseOrThrow(ModerationActionSchema, await optionalJson(req));
      return { status: 200, body: { thread: await services.moderation.setThreadHidden({ slug, hidden, actor: user, reason }) } };
    },
  }));

  return [
    {
      method: 'POST',
      path: '/api/auth/login',
      doc: {
        summary: 'Sign in as a moderator or admin (sets the session cookie).',
        tag: 'accounts',
        body: { schema: LoginRequestSchema },
        responses: { 200: { description: 'Signed in.', schema: UserViewSchema } },
        errors: [...JSON_BODY_ERRORS, 'invalid_credentials', 'sign_in_busy'],
      },
      handle: async ({ req, res }) => {
        const user = await signIn(services, req, res, await readJsonBody(req));
        return { status: 200, body: { user: { username: user.username, role: user.role } } };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/logout',
      doc: { summary: 'Sign out.', tag: 'accounts', responses: { 200: { description: 'Signed out.', schema: OkSchema } }, errors: ['cross_site', 'unsupported_media_type'] },
      handle: async ({ req, res }) => {
        const token = staffToken(req);
        if (token) await services.auth.logout(token);
        appendSetCookie(res, clearStaffCookie(req));
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'GET',
      path: '/api/auth/me',
      doc: { summary: 'Who is signed in.', tag: 'accounts', access: 'staff', responses: { 200: { description: 'The signed-in account.', schema: UserViewSchema } }, errors: STAFF_ERRORS },
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req);
        return { status: 200, body: { user: { username: user.username, role: user.role } } };
      },
    },
    {
      method: 'POST',
      path: '/api/threads',
      doc: staffJson({ summary: 'Open a thread.', tag: 'threads', access: 'admin', body: { schema: CreateThreadRequestSchema }, responses: { 201: { description: 'The new thread.', schema: ThreadBodySchema } } }),
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req, 'admin');
        const input = parseOrThrow(CreateThreadRequestSchema, await readJsonBody(req));
        return { status: 201, body: { thread: await services.moderation.createThread({ ...input, actor: user }) } };
      },
    },
    {
      method: 'PATCH',
      path: '/api/threads/:slug',
      doc: staffJson({
        summary: "Change a thread's slow mode, pre-moderation or closing time (closesAt; null: never), or (admins) who may comment there (commentPolicy; null: the site's).",
        tag: 'moderation',
        access: 'staff',
        params: SLUG_PARAM,
        body: { schema: ThreadSettingsRequestSchema },
        responses: { 200: { description: 'The thread.', schema: ThreadBodySchema } },
        errors: ['thread_not_found'],
      }),
      handle: async ({ req, params }) => {
        const slug = slugParam(params.slug);
        const { user } = await requireStaff(services, req);
        const settings = parseOrThrow(ThreadSettingsRequestSchema, await readJsonBody(req));
        return { status: 200, body: { thread: await services.moderation.updateThreadSettings({ slug, ...settings, actor: user }) } };
      },
    },
    ...threadActions,
    ...visibilityActions,
    {
      method: 'DELETE',
      path: '/api/threads/:slug',
      doc: staffJson({
        summary: 'Delete a thread with its comments, events, likes and reports; the audit log keeps who, when, its slug, title and comment count. Its open pages are told.',
        tag: 'moderation',
        access: 'admin',
        params: SLUG_PARAM,
        body: { schema: ModerationActionSchema, optional: true },
        responses: { 200: { description: 'What was deleted.', schema: z.object({ deleted: DeletedThreadSchema }) } },
        errors: ['thread_not_found'],
      }),
      handle: async ({ req, params }) => {
        const slug = slugParam(params.slug);
        const { user } = await requireStaff(services, req, 'admin');
        const { reason } = parseOrThrow(ModerationActionSchema, await optionalJson(req));
        return { status: 200, body: { deleted: await services.moderation.deleteThread({ slug, actor: user, reason }) } };
      },
    },
    {
      method: 'GET',
      path: '/api/moderation/threads',
      doc: {
        summary: 'Every thread, hidden ones included and marked, a page at a time.',
        tag: 'moderation',
        access: 'admin',
        query: ThreadListQuerySchema,
        responses: { 200: { description: 'A page of threads, newest first, and the cursor of the next (older) page.', schema: AdminThreadListResponseSchema } },
        errors: [...STAFF_ERRORS, 'invalid_request'],
      },
      handle: async ({ req, url }) => {
        const { user } = await requireStaff(services, req, 'admin');
        const query = parseQuery(ThreadListQuerySchema, url);
        return { status: 200, body: await services.moderation.listThreads({ after: query.after, limit: query.limit, actor: user }) };
      },
    },
    ...commentActions,
    {
      method: 'POST',
      path: '/api/comments/:id/report',
      doc: {
        summary: 'Report a comment to the moderators.',
        tag: 'comments',
        params: COMMENT_ID_PARAM,
        body: { schema: ReportRequestSchema },
        responses: { 201: { description: 'Reported.', schema: OkSchema }, 200: { description: 'This reader had already reported it.', schema: OkSchema } },
        errors: [...JSON_BODY_ERRORS, 'comment_not_found'],
      },
      handle: async ({ req, res, params }) => {
        const commentId = commentIdParam(params.id);
        const report = parseOrThrow(ReportRequestSchema, await readJsonBody(req));
        const { personId } = await authorOfRequest(services, req, res);
        const { created } = await services.moderation.report({ commentId, guestId: personId, address: clientAddress(req), ...report });
        return { status: created ? 201 : 200, body: { ok: true } };
      },
    },
    {
      method: 'POST',
      path: '/api/bans',
      doc: staffJson({ summary: 'Ban a guest from commenting.', tag: 'moderation', access: 'staff', body: { schema: BanRequestSchema }, responses: { 201: { description: 'The ban.', schema: z.object({ ban: BanSchema }) } } }),
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req);
        const input = parseOrThrow(BanRequestSchema, await readJsonBody(req));
        return { status: 201, body: { ban: await services.moderation.ban({ ...input, actor: user }) } };
      },
    },
    {
      method: 'GET',
      path: '/api/moderation/queue',
      doc: { summary: 'Held and reported comments.', tag: 'moderation', access: 'staff', responses: { 200: { description: 'The queue, oldest first.', schema: z.object({ items: z.array(QueueItemSchema) }) } }, errors: STAFF_ERRORS },
      handle: async ({ req }) => {
        await requireStaff(services, req);
        return { status: 200, body: { items: await services.moderation.queue({}) } };
      },
    },
    {
      method: 'GET',
      path: '/api/moderation/not-checked',
      doc: {
        summary: 'Visible comments the outside spam service could not check (posted anyway), until kept (approve) or removed.',
        tag: 'moderation',
        access: 'staff',
        responses: { 200: { description: 'Newest first.', schema: z.object({ items: z.array(QueueItemSchema) }) } },
        errors: STAFF_ERRORS,
      },
      handle: async ({ req }) => {
        await requireStaff(services, req);
        return { status: 200, body: { items: await services.moderation.notChecked({}) } };
      },
    },
    {
      method: 'GET',
      path: '/api/moderation/audit',
      doc: { summary: 'The audit log.', tag: 'moderation', access: 'admin', responses: { 200: { description: 'Newest first.', schema: z.object({ entries: z.array(AuditRecordSchema) }) } }, errors: STAFF_ERRORS },
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req, 'admin');
        return { status: 200, body: { entries: await services.moderation.audit({ actor: user }) } };
      },
    },
    {
      method: 'GET',
      path: '/api/moderation/banned-words',
      doc: { summary: 'The banned words.', tag: 'moderation', access: 'staff', responses: { 200: { description: 'The words.', schema: WordsSchema } }, errors: STAFF_ERRORS },
      handle: async ({ req }) => {
        await requireStaff(services, req);
        return { status: 200, body: { words: await services.moderation.bannedWords() } };
      },
    },
    {
      method: 'PUT',
      path: '/api/moderation/banned-words',
      doc: staffJson({
        summary: 'Replace the banned words.',
        tag: 'moderation',
        access: 'admin',
        body: { schema: BannedWordsRequestSchema },
        responses: { 200: { description: 'The words as stored (normalised).', schema: WordsSchema } },
      }),
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req, 'admin');
        const { words } = parseOrThrow(BannedWordsRequestSchema, await readJsonBody(req));
        return { status: 200, body: { words: await services.moderation.setBannedWords({ words, actor: user }) } };
      },
    },
    {
      method: 'GET',
      path: '/api/users',
      doc: {
        summary: 'The staff accounts.',
        tag: 'accounts',
        access: 'admin',
        responses: {
          200: {
            description: 'Every account, removed ones included.',
            schema: z.object({ users: z.array(z.object({ username: z.string(), role: z.enum(['moderator', 'admin']), createdAt: z.string(), removedAt: z.string().nullable() })) }),
          },
        },
        errors: STAFF_ERRORS,
      },
      handle: async ({ req }) => {
        await requireStaff(services, req, 'admin');
        const users = await services.auth.listUsers();
        return { status: 200, body: { users: users.map((u) => ({ username: u.username, role: u.role, createdAt: u.createdAt, removedAt: u.removedAt })) } };
      },
    },
    {
      method: 'DELETE',
      path: '/api/users/:username',
      doc: {
        summary: 'Remove a staff account (its sessions end at once).',
        tag: 'accounts',
        access: 'admin',
        params: { username: UsernameSchema },
        responses: { 200: { description: 'The removed account.', schema: z.object({ user: z.object({ username: z.string(), role: z.enum(['moderator', 'admin']), removedAt: z.string().nullable() }) }) } },
        errors: [...STAFF_ERRORS, 'cross_site', 'unsupported_media_type', 'user_not_found'],
      },
      handle: async ({ req, params }) => {
        const { user } = await requireStaff(services, req, 'admin');
        const username = UsernameSchema.safeParse(params.username);
        if (!username.success) throw new AppError('user_not_found');
        const removed = await services.auth.removeUser({ username: username.data, actor: user });
        return { status: 200, body: { user: { username: removed.username, role: removed.role, removedAt: removed.removedAt } } };
      },
    },
  ];
}
