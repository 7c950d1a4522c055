import {
  BannedWordsRequestSchema,
  BanRequestSchema,
  CatchUpSchema,
  CommentIdSchema,
  CommentResponseSchema,
  CreateCommentRequestSchema,
  CreateThreadRequestSchema,
  EditCommentRequestSchema,
  EventsQuerySchema,
  LikeResponseSchema,
  LoginRequestSchema,
  MeSchema,
  ModerationActionSchema,
  QueueItemSchema,
  ReportRequestSchema,
  SlugSchema,
  ThreadDetailSchema,
  ThreadListResponseSchema,
  ThreadQuerySchema,
  ThreadResponseSchema,
  ThreadSettingsRequestSchema,
  UsernameSchema,
} from '../../lib/contract/api';
import type { ErrorCode } from '../../lib/contract/errors';
import { z } from '../../lib/contract/zod';

/**
 * What each route takes and answers, for the OpenAPI document (server/http/openapi.ts).
 * Keyed by `METHOD /path/:param` exactly as the routers spell their routes: the
 * document is built from the routes the server really has, and building it fails
 * when one of them has no entry here or an entry names no route.
 */
export interface RouteDoc {
  summary: string;
  tag: 'threads' | 'comments' | 'moderation' | 'accounts' | 'feeds' | 'ops' | 'meta';
  /** Who may call it: anyone, a signed-in moderator or admin, or an admin only. */
  access?: 'staff' | 'admin';
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; contentType?: 'application/json' | 'application/x-www-form-urlencoded'; optional?: boolean };
  /** Success answers: JSON with a schema, another media type, or a redirect. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string; headers?: string[] }>;
  /** The error codes this route answers (each with the error envelope), besides the ones every route may answer. */
  errors: ErrorCode[];
}

/** Answered by any route: an unknown path or method, a rate limit, a fault on our side. */
export const COMMON_ERRORS: ErrorCode[] = ['method_not_allowed', 'rate_limited', 'internal', 'unavailable'];
/** Any JSON body: not JSON, too large, not JSON-typed, sent from another site. */
const JSON_BODY_ERRORS: ErrorCode[] = ['invalid_request', 'invalid_json', 'payload_too_large', 'unsupported_media_type', 'cross_site'];
const STAFF_ERRORS: ErrorCode[] = ['not_signed_in', 'forbidden'];

const slug = { slug: SlugSchema };
const commentId = { id: CommentIdSchema };
const ok = z.object({ ok: z.literal(true) });
const userView = z.object({ user: MeSchema });
const BanSchema = z.object({
  id: z.string(),
  guestId: z.string(),
  reason: z.string(),
  until: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
const AuditRecordSchema = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  threadId: z.string().nullable(),
  commentId: z.string().nullable(),
  target: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
const ReadinessSchema = z.object({
  ok: z.boolean(),
  checks: z.object({ store: z.enum(['ok', 'failed', 'not configured']), redis: z.enum(['ok', 'failed', 'not configured']) }),
});
/** The no-JavaScript form: every field arrives as text. */
const CommentFormSchema = z.object({
  body: z.string(),
  authorName: z.string(),
  parentId: z.string().optional(),
  clientId: z.string().optional(),
  formToken: z.string(),
});

const LikeFormSchema = z.object({
  formToken: z.string(),
  /** `false` takes the like back; anything else likes. */
  liked: z.string().optional(),
  sort: z.string().optional(),
});

const commentAction = (action: string, summary: string): [string, RouteDoc] => [
  `POST /api/comments/:id/${action}`,
  {
    summary,
    tag: 'moderation',
    access: 'staff',
    params: commentId,
    body: { schema: ModerationActionSchema, optional: true },
    responses: { 200: { description: 'The comment as moderators see it.', schema: CommentResponseSchema } },
    errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS, 'comment_not_found', 'already_handled'],
  },
];

const threadLock = (action: 'lock' | 'unlock'): [string, RouteDoc] => [
  `POST /api/threads/:slug/${action}`,
  {
    summary: action === 'lock' ? 'Lock a thread: no new comments.' : 'Unlock a thread.',
    tag: 'moderation',
    access: 'staff',
    params: slug,
    body: { schema: ModerationActionSchema, optional: true },
    responses: { 200: { description: 'The thread.', schema: z.object({ thread: ThreadDetailSchema }) } },
    errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS, 'thread_not_found'],
  },
];

export const ROUTE_DOCS: Record<string, RouteDoc> = Object.fromEntries<RouteDoc>([
  ['GET /api/health', { summary: 'Liveness of the API.', tag: 'ops', responses: { 200: { description: 'Up.', schema: ok } }, errors: [] }],
  ['GET /api/openapi.json', { summary: 'This document.', tag: 'meta', responses: { 200: { description: 'OpenAPI 3.1.', schema: z.record(z.string(), z.unknown()) } }, errors: [] }],
  ['GET /api/threads', { summary: 'List the threads.', tag: 'threads', responses: { 200: { description: 'Every thread, newest first.', schema: ThreadListResponseSchema } }, errors: [] }],
  [
    'GET /api/threads/:slug',
    {
      summary: 'A thread and one page of its comment branches.',
      tag: 'threads',
      params: slug,
      query: ThreadQuerySchema,
      responses: { 200: { description: 'The thread and a page of comments in display order.', schema: ThreadResponseSchema } },
      errors: ['invalid_request', 'thread_not_found'],
    },
  ],
  [
    'GET /api/threads/:slug/events',
    {
      summary: 'The events of a thread after a seq (catching up without a socket).',
      tag: 'threads',
      params: slug,
      query: EventsQuerySchema,
      responses: { 200: { description: 'The thread state and what was missed.', schema: CatchUpSchema } },
      errors: ['invalid_request', 'thread_not_found'],
    },
  ],
  [
    'POST /api/threads/:slug/comments',
    {
      summary: 'Post a comment (a reply with parentId). Repeating a clientId returns the first comment.',
      tag: 'comments',
      params: slug,
      body: { schema: CreateCommentRequestSchema },
      responses: {
        201: { description: 'Stored (sets the guest cookie if there was none).', schema: CommentResponseSchema },
        200: { description: 'A retried clientId: the comment stored the first time.', schema: CommentResponseSchema },
      },
      errors: [...JSON_BODY_ERRORS, 'thread_not_found', 'parent_not_found', 'thread_locked', 'branch_locked', 'banned', 'slow_mode'],
    },
  ],
  [
    'PATCH /api/comments/:id',
    {
      summary: "Edit one's own comment within the edit window.",
      tag: 'comments',
      params: commentId,
      body: { schema: EditCommentRequestSchema },
      responses: { 200: { description: 'The edited comment.', schema: CommentResponseSchema } },
      errors: [...JSON_BODY_ERRORS, 'comment_not_found', 'not_your_comment', 'edit_window_closed', 'comment_gone', 'thread_locked'],
    },
  ],
  [
    'DELETE /api/comments/:id',
    {
      summary: "Delete one's own comment (its place in the tree stays).",
      tag: 'comments',
      params: commentId,
      responses: { 200: { description: 'The comment, now deleted.', schema: CommentResponseSchema } },
      errors: ['cross_site', 'unsupported_media_type', 'comment_not_found', 'not_your_comment', 'comment_gone'],
    },
  ],
  ...(['PUT', 'DELETE'] as const).map((method): [string, RouteDoc] => [
    `${method} /api/comments/:id/like`,
    {
      summary: method === 'PUT' ? 'Like a comment (once per guest; a repeat changes nothing).' : 'Take back a like (a repeat changes nothing).',
      tag: 'comments',
      params: commentId,
      responses: { 200: { description: 'The comment’s like count now, whether this guest likes it, and whether this call changed anything.', schema: LikeResponseSchema } },
      errors: ['invalid_request', 'cross_site', 'comment_not_found', 'comment_gone'],
    },
  ]),
  [
    'POST /api/comments/:id/report',
    {
      summary: 'Report a comment to the moderators.',
      tag: 'comments',
      params: commentId,
      body: { schema: ReportRequestSchema },
      responses: { 201: { description: 'Reported.', schema: ok }, 200: { description: 'This reader had already reported it.', schema: ok } },
      errors: [...JSON_BODY_ERRORS, 'comment_not_found'],
    },
  ],
  [
    'POST /api/auth/login',
    {
      summary: 'Sign in as a moderator or admin (sets the session cookie).',
      tag: 'accounts',
      body: { schema: LoginRequestSchema },
      responses: { 200: { description: 'Signed in.', schema: userView } },
      errors: [...JSON_BODY_ERRORS, 'invalid_credentials'],
    },
  ],
  ['POST /api/auth/logout', { summary: 'Sign out.', tag: 'accounts', responses: { 200: { description: 'Signed out.', schema: ok } }, errors: ['cross_site', 'unsupported_media_type'] }],
  ['GET /api/auth/me', { summary: 'Who is signed in.', tag: 'accounts', access: 'staff', responses: { 200: { description: 'The signed-in account.', schema: userView } }, errors: STAFF_ERRORS }],
  [
    'POST /api/threads',
    {
      summary: 'Open a thread.',
      tag: 'threads',
      access: 'admin',
      body: { schema: CreateThreadRequestSchema },
      responses: { 201: { description: 'The new thread.', schema: z.object({ thread: ThreadDetailSchema }) } },
      errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS],
    },
  ],
  [
    'PATCH /api/threads/:slug',
    {
      summary: "Change a thread's slow mode or pre-moderation.",
      tag: 'moderation',
      access: 'staff',
      params: slug,
      body: { schema: ThreadSettingsRequestSchema },
      responses: { 200: { description: 'The thread.', schema: z.object({ thread: ThreadDetailSchema }) } },
      errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS, 'thread_not_found'],
    },
  ],
  threadLock('lock'),
  threadLock('unlock'),
  commentAction('remove', 'Remove a comment (moderation).'),
  commentAction('restore', 'Restore a removed comment.'),
  commentAction('pin', 'Pin a comment at the top of its thread.'),
  commentAction('unpin', 'Unpin a comment.'),
  commentAction('approve', 'Approve a held comment, or keep a reported one.'),
  commentAction('reject', 'Reject a held comment.'),
  commentAction('lock', 'Lock a branch: no replies under this comment.'),
  commentAction('unlock', 'Unlock a branch.'),
  [
    'POST /api/bans',
    {
      summary: 'Ban a guest from commenting.',
      tag: 'moderation',
      access: 'staff',
      body: { schema: BanRequestSchema },
      responses: { 201: { description: 'The ban.', schema: z.object({ ban: BanSchema }) } },
      errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS],
    },
  ],
  [
    'GET /api/moderation/queue',
    { summary: 'Held and reported comments.', tag: 'moderation', access: 'staff', responses: { 200: { description: 'The queue, oldest first.', schema: z.object({ items: z.array(QueueItemSchema) }) } }, errors: STAFF_ERRORS },
  ],
  [
    'GET /api/moderation/audit',
    { summary: 'The audit log.', tag: 'moderation', access: 'admin', responses: { 200: { description: 'Newest first.', schema: z.object({ entries: z.array(AuditRecordSchema) }) } }, errors: STAFF_ERRORS },
  ],
  [
    'GET /api/moderation/banned-words',
    { summary: 'The banned words.', tag: 'moderation', access: 'staff', responses: { 200: { description: 'The words.', schema: z.object({ words: z.array(z.string()) }) } }, errors: STAFF_ERRORS },
  ],
  [
    'PUT /api/moderation/banned-words',
    {
      summary: 'Replace the banned words.',
      tag: 'moderation',
      access: 'admin',
      body: { schema: BannedWordsRequestSchema },
      responses: { 200: { description: 'The words as stored (normalised).', schema: z.object({ words: z.array(z.string()) }) } },
      errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS],
    },
  ],
  [
    'GET /api/users',
    {
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
  ],
  [
    'DELETE /api/users/:username',
    {
      summary: 'Remove a staff account (its sessions end at once).',
      tag: 'accounts',
      access: 'admin',
      params: { username: UsernameSchema },
      responses: { 200: { description: 'The removed account.', schema: z.object({ user: z.object({ username: z.string(), role: z.enum(['moderator', 'admin']), removedAt: z.string().nullable() }) }) } },
      errors: [...STAFF_ERRORS, 'cross_site', 'unsupported_media_type', 'user_not_found'],
    },
  ],
  [
    'POST /articles/:slug/comments',
    {
      summary: 'Post a comment without JavaScript (the article page’s HTML form).',
      tag: 'comments',
      params: slug,
      body: { schema: CommentFormSchema, contentType: 'application/x-www-form-urlencoded' },
      responses: {
        303: { description: 'Back to the article: to the new comment, or to the form with `?error=<code>&field=<field>`.', headers: ['location'] },
      },
      errors: ['thread_not_found', 'cross_site', 'payload_too_large'],
    },
  ],
  [
    'POST /articles/:slug/comments/:id/like',
    {
      summary: 'Like or take back a like without JavaScript (the like button’s HTML form).',
      tag: 'comments',
      params: { ...slug, ...commentId },
      body: { schema: LikeFormSchema, contentType: 'application/x-www-form-urlencoded' },
      responses: {
        303: { description: 'Back to the comment on the article page, with `?likeError=<code>` when the like was refused.', headers: ['location'] },
      },
      errors: ['cross_site', 'payload_too_large'],
    },
  ],
  [
    'GET /articles/:slug/feed.xml',
    {
      summary: 'An Atom feed of the newest visible comments of a thread.',
      tag: 'feeds',
      params: slug,
      responses: {
        200: { description: 'Atom 1.0 (RFC 4287).', contentType: 'application/atom+xml', headers: ['etag', 'last-modified'] },
        304: { description: 'Not modified since the ETag or date the client sent.' },
      },
      errors: ['thread_not_found'],
    },
  ],
  ['GET /healthz', { summary: 'Liveness of this process.', tag: 'ops', responses: { 200: { description: 'Alive.', schema: ok } }, errors: [] }],
  [
    'GET /readyz',
    {
      summary: 'Readiness: the database (and Redis, when configured) answer and the server is not stopping.',
      tag: 'ops',
      responses: { 200: { description: 'Ready.', schema: ReadinessSchema } },
      errors: ['not_ready'],
    },
  ],
  [
    'GET /metrics',
    {
      summary: 'Prometheus metrics (only with METRICS_TOKEN set; send it as a bearer token).',
      tag: 'ops',
      responses: { 200: { description: 'Prometheus text format.', contentType: 'text/plain' } },
      errors: ['not_found', 'forbidden'],
    },
  ],
]);
