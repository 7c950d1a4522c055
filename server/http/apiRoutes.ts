import {
  CatchUpSchema,
  CommentResponseSchema,
  CreateCommentRequestSchema,
  EditCommentRequestSchema,
  EventsQuerySchema,
  LikeResponseSchema,
  ThreadListQuerySchema,
  ThreadListResponseSchema,
  ThreadQuerySchema,
  ThreadResponseSchema,
  ViewerQuerySchema,
  ViewerResponseSchema,
} from '../../lib/contract/api';
import { PicksResponseSchema } from '../../lib/contract/picks';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readJsonBody } from './body';
import { guestFromRequest } from './guestSession';
import { authorOfRequest } from './person';
import { isStaffRole } from '../../lib/domain/identity';
import { clientInfo } from './clientInfo';
import { clientAddress } from './origin';
import { commentIdParam, slugParam, parseQuery } from './params';
import { COMMENT_ID_PARAM, JSON_BODY_ERRORS, OkSchema, SLUG_PARAM, type RouteDoc } from './routeDoc';
import type { Route } from './router';
import { readerOf } from './staffSession';
import { NOT_STORED_CACHE_CONTROL } from '../pageCache/sharedPageHeaders';

/** A read of one thread with a query: what it answers, and the refusals every such read shares. */
const threadRead = (summary: string, query: RouteDoc['query'], answer: RouteDoc['responses'][number]): RouteDoc => ({
  summary,
  tag: 'threads',
  params: SLUG_PARAM,
  query,
  responses: { 200: answer },
  errors: ['invalid_request', 'thread_not_found'],
});

/** The public JSON API (docs/api.md). Handlers validate, call a service and answer: no SQL here. */
export function apiRoutes(services: Services): Route[] {
  const secret = services.sessionSecret;
  return [
    {
      method: 'GET',
      path: '/api/health',
      doc: { summary: 'Liveness of the API.', tag: 'ops', responses: { 200: { description: 'Up.', schema: OkSchema } }, errors: [] },
      handle: async () => ({ status: 200, body: { ok: true } }),
    },
    {
      method: 'GET',
      path: '/api/threads',
      doc: {
        summary: 'List the threads, a page at a time (hidden threads are never listed).',
        tag: 'threads',
        query: ThreadListQuerySchema,
        responses: { 200: { description: 'A page of threads, newest first, and the cursor of the next (older) page.', schema: ThreadListResponseSchema } },
        errors: ['invalid_request'],
      },
      handle: async ({ url }) => {
        const query = parseQuery(ThreadListQuerySchema, url);
        return { status: 200, body: await services.threads.listThreads({ after: query.after, limit: query.limit }) };
      },
    },
    {
      method: 'GET',
      path: '/api/threads/:slug',
      doc: threadRead('A thread and one page of its comment branches.', ThreadQuerySchema, { description: 'The thread and a page of comments in display order.', schema: ThreadResponseSchema }),
      handle: async ({ req, params, url }) => {
        const slug = slugParam(params.slug);
        const query = parseQuery(ThreadQuerySchema, url);
        // The reader's likes are marked (`likedByMe`) when they have a guest session; none is made for a read.
        const viewerGuestId = guestFromRequest(req, secret);
        const page = { sort: query.sort, after: query.after, limit: query.limit };
        return { status: 200, body: await services.threads.getThread({ slug, ...page, viewerGuestId, ...readerOf(services, req) }) };
      },
    },
    {
      method: 'GET',
      path: '/api/threads/:slug/viewer',
      doc: {
        ...threadRead(
          "What is this reader's own on a thread, read by a reader page after it loads (the page itself is the same for everyone): the signed-in moderator, the reader's visible and held comments, their likes. Sets the guest cookie if there was none (`?frame=1`: one that works in the embed's cross-site frame).",
          ViewerQuerySchema,
          { description: 'The reader’s own state; `Cache-Control: private, no-store`.', schema: ViewerResponseSchema },
        ),
      },
      handle: async ({ req, res, params, url }) => {
        const slug = slugParam(params.slug);
        const query = parseQuery(ViewerQuerySchema, url);
        // The page no longer gives a first-time reader their guest cookie (it is shared): this read does, before the socket connects.
        const author = await authorOfRequest(services, req, res, { framed: query.frame === '1' });
        const user = author.account;
        const staff = user && isStaffRole(user.role) ? { username: user.username, role: user.role } : null;
        const account = user ? { id: user.id, displayName: user.displayName, role: user.role, badges: user.badges } : null;
        const state = await services.threads.readerState({ slug, guestId: author.personId, seesHidden: async () => staff !== null });
        return { status: 200, body: { staff, account, ...state }, headers: { 'cache-control': NOT_STORED_CACHE_CONTROL } };
      },
    },
    {
      method: 'GET',
      path: '/api/threads/:slug/events',
      doc: threadRead('The events of a thread after a seq (catching up without a socket).', EventsQuerySchema, { description: 'The thread state and what was missed.', schema: CatchUpSchema }),
      handle: async ({ req, params, url }) => {
        const slug = slugParam(params.slug);
        const query = parseQuery(EventsQuerySchema, url);
        return { status: 200, body: await services.threads.catchUp({ slug, afterSeq: query.after, ...readerOf(services, req) }) };
      },
    },
    {
      method: 'POST',
      path: '/api/threads/:slug/comments',
      doc: {
        summary: 'Post a comment (a reply with parentId). Repeating a clientId returns the first comment.',
        tag: 'comments',
        params: SLUG_PARAM,
        body: { schema: CreateCommentRequestSchema },
        responses: {
          201: { description: 'Stored (sets the guest cookie if there was none).', schema: CommentResponseSchema },
          200: { description: 'A retried clientId: the comment stored the first time.', schema: CommentResponseSchema },
        },
        errors: [...JSON_BODY_ERRORS, 'thread_not_found', 'parent_not_found', 'thread_locked', 'branch_locked', 'banned', 'slow_mode'],
      },
      handle: async ({ req, res, params }) => {
        const slug = slugParam(params.slug);
        const input = parseOrThrow(CreateCommentRequestSchema, await readJsonBody(req));
        const author = await authorOfRequest(services, req, res);
        const { comment, created } = await services.comments.create({ slug, input, guestId: author.personId, account: author.account, address: clientAddress(req), client: clientInfo(req) });
        return { status: created ? 201 : 200, body: { comment } };
      },
    },
    {
      method: 'PATCH',
      path: '/api/comments/:id',
      doc: {
        summary: "Edit one's own comment within the edit window; it passes the posting rules (a ban, the locks, banned words, pre-moderation).",
        tag: 'comments',
        params: COMMENT_ID_PARAM,
        body: { schema: EditCommentRequestSchema },
        responses: { 200: { description: 'The edited comment.', schema: CommentResponseSchema } },
        errors: [...JSON_BODY_ERRORS, 'comment_not_found', 'not_your_comment', 'edit_window_closed', 'banned', 'comment_gone', 'comment_held', 'thread_locked', 'branch_locked'],
      },
      handle: async ({ req, res, params }) => {
        const commentId = commentIdParam(params.id);
        const { body } = parseOrThrow(EditCommentRequestSchema, await readJsonBody(req));
        const comment = await services.comments.edit({ commentId, body, guestId: (await authorOfRequest(services, req, res)).personId, address: clientAddress(req), client: clientInfo(req) });
        return { status: 200, body: { comment } };
      },
    },
    {
      method: 'DELETE',
      path: '/api/comments/:id',
      doc: {
        summary: "Delete one's own comment (its place in the tree stays).",
        tag: 'comments',
        params: COMMENT_ID_PARAM,
        responses: { 200: { description: 'The comment, now deleted.', schema: CommentResponseSchema } },
        errors: ['cross_site', 'unsupported_media_type', 'comment_not_found', 'not_your_comment', 'comment_gone'],
      },
      handle: async ({ req, res, params }) => {
        const commentId = commentIdParam(params.id);
        const comment = await services.comments.delete({ commentId, guestId: (await authorOfRequest(services, req, res)).personId });
        return { status: 200, body: { comment } };
      },
    },
    // Like, and take the like back: PUT and DELETE of one resource, so a repeat is harmless either way.
    ...(['PUT', 'DELETE'] as const).map(
      (method): Route => ({
        method,
        path: '/api/comments/:id/like',
        doc: {
          summary: method === 'PUT' ? 'Like a comment (once per guest; a repeat changes nothing).' : 'Take back a like (a repeat changes nothing).',
          tag: 'comments',
          params: COMMENT_ID_PARAM,
          responses: { 200: { description: 'The comment’s like count now, whether this guest likes it, and whether this call changed anything.', schema: LikeResponseSchema } },
          errors: ['invalid_request', 'cross_site', 'comment_not_found', 'comment_gone'],
        },
        handle: async ({ req, res, params }) => {
          const commentId = commentIdParam(params.id);
          const result = await services.comments.like({ commentId, guestId: (await authorOfRequest(services, req, res)).personId, address: clientAddress(req), liked: method === 'PUT' });
          return { status: 200, body: result };
        },
      }),
    ),
    {
      method: 'GET',
      path: '/api/threads/:slug/picks',
      doc: {
        summary: "The thread's editors' picks (issue 19.1): its featured visible comments, newest pick first, each with `pick` (the moderator's note and when it was featured).",
        tag: 'threads',
        params: SLUG_PARAM,
        responses: { 200: { description: 'The thread and its picks.', schema: PicksResponseSchema } },
        errors: ['thread_not_found'],
      },
      handle: async ({ req, params }) => {
        const slug = slugParam(params.slug);
        const { thread, comments } = await services.threads.getPicks({ slug, ...readerOf(services, req) });
        return { status: 200, body: { thread, picks: comments } };
      },
    },
  ];
}
