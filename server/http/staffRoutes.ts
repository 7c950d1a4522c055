import {
  BannedWordsRequestSchema,
  BanRequestSchema,
  CreateThreadRequestSchema,
  LoginRequestSchema,
  ModerationActionSchema,
  ReportRequestSchema,
  ThreadSettingsRequestSchema,
  UsernameSchema,
} from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { CommentAction, Services } from '../../lib/services';
import { readJsonBody } from './body';
import { ensureGuest } from './guestSession';
import { commentIdParam, slugParam } from './params';
import type { Route } from './router';
import { clientAddress } from './writeLimit';
import { clearStaffCookie, requireStaff, setCookie, staffCookie, staffToken } from './staffSession';

const COMMENT_ACTIONS: CommentAction[] = ['remove', 'restore', 'pin', 'unpin', 'approve', 'reject', 'lock', 'unlock'];

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
    handle: async ({ req, params }) => {
      const commentId = commentIdParam(params.id);
      const { user } = await requireStaff(services, req);
      const { reason } = parseOrThrow(ModerationActionSchema, await optionalJson(req));
      return { status: 200, body: await services.moderation.actOnComment({ commentId, action, actor: user, reason }) };
    },
  }));

  const threadLock = (locked: boolean): Route => ({
    method: 'POST',
    path: `/api/threads/:slug/${locked ? 'lock' : 'unlock'}`,
    handle: async ({ req, params }) => {
      const slug = slugParam(params.slug);
      const { user } = await requireStaff(services, req);
      const { reason } = parseOrThrow(ModerationActionSchema, await optionalJson(req));
      return { status: 200, body: { thread: await services.moderation.setThreadLock({ slug, locked, actor: user, reason }) } };
    },
  });

  return [
    {
      method: 'POST',
      path: '/api/auth/login',
      handle: async ({ req, res }) => {
        const { username, password } = parseOrThrow(LoginRequestSchema, await readJsonBody(req));
        const { token, user } = await services.auth.login({ username, password, clientKey: clientAddress(req) });
        setCookie(res, staffCookie(token, req));
        return { status: 200, body: { user: { username: user.username, role: user.role } } };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/logout',
      handle: async ({ req, res }) => {
        const token = staffToken(req);
        if (token) await services.auth.logout(token);
        setCookie(res, clearStaffCookie(req));
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'GET',
      path: '/api/auth/me',
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req);
        return { status: 200, body: { user: { username: user.username, role: user.role } } };
      },
    },
    {
      method: 'POST',
      path: '/api/threads',
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req, 'admin');
        const input = parseOrThrow(CreateThreadRequestSchema, await readJsonBody(req));
        return { status: 201, body: { thread: await services.moderation.createThread({ ...input, actor: user }) } };
      },
    },
    {
      method: 'PATCH',
      path: '/api/threads/:slug',
      handle: async ({ req, params }) => {
        const slug = slugParam(params.slug);
        const { user } = await requireStaff(services, req);
        const settings = parseOrThrow(ThreadSettingsRequestSchema, await readJsonBody(req));
        return { status: 200, body: { thread: await services.moderation.updateThreadSettings({ slug, ...settings, actor: user }) } };
      },
    },
    threadLock(true),
    threadLock(false),
    ...commentActions,
    {
      method: 'POST',
      path: '/api/comments/:id/report',
      handle: async ({ req, res, params }) => {
        const commentId = commentIdParam(params.id);
        const { reason } = parseOrThrow(ReportRequestSchema, await readJsonBody(req));
        const guestId = ensureGuest(req, res, services.sessionSecret);
        const { created } = await services.moderation.report({ commentId, guestId, reason });
        return { status: created ? 201 : 200, body: { ok: true } };
      },
    },
    {
      method: 'POST',
      path: '/api/bans',
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req);
        const input = parseOrThrow(BanRequestSchema, await readJsonBody(req));
        return { status: 201, body: { ban: await services.moderation.ban({ ...input, actor: user }) } };
      },
    },
    {
      method: 'GET',
      path: '/api/moderation/queue',
      handle: async ({ req }) => {
        await requireStaff(services, req);
        return { status: 200, body: { items: await services.moderation.queue({}) } };
      },
    },
    {
      method: 'GET',
      path: '/api/moderation/audit',
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req, 'admin');
        return { status: 200, body: { entries: await services.moderation.audit({ actor: user }) } };
      },
    },
    {
      method: 'GET',
      path: '/api/moderation/banned-words',
      handle: async ({ req }) => {
        await requireStaff(services, req);
        return { status: 200, body: { words: await services.moderation.bannedWords() } };
      },
    },
    {
      method: 'PUT',
      path: '/api/moderation/banned-words',
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req, 'admin');
        const { words } = parseOrThrow(BannedWordsRequestSchema, await readJsonBody(req));
        return { status: 200, body: { words: await services.moderation.setBannedWords({ words, actor: user }) } };
      },
    },
    {
      method: 'GET',
      path: '/api/users',
      handle: async ({ req }) => {
        await requireStaff(services, req, 'admin');
        const users = await services.auth.listUsers();
        return { status: 200, body: { users: users.map((u) => ({ username: u.username, role: u.role, createdAt: u.createdAt, removedAt: u.removedAt })) } };
      },
    },
    {
      method: 'DELETE',
      path: '/api/users/:username',
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
