import {
  CreateCommentRequestSchema,
  EditCommentRequestSchema,
  EventsQuerySchema,
  ThreadQuerySchema,
} from '../../lib/contract/api';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readJsonBody } from './body';
import { ensureGuest, guestFromRequest } from './guestSession';
import { commentIdParam, slugParam } from './params';
import type { Route } from './router';

/** The public JSON API (docs/api.md). Handlers validate, call a service and answer: no SQL here. */
export function apiRoutes(services: Services): Route[] {
  const secret = services.sessionSecret;
  return [
    {
      method: 'GET',
      path: '/api/health',
      handle: async () => ({ status: 200, body: { ok: true } }),
    },
    {
      method: 'GET',
      path: '/api/threads',
      handle: async () => ({ status: 200, body: await services.threads.listThreads() }),
    },
    {
      method: 'GET',
      path: '/api/threads/:slug',
      handle: async ({ req, params, url }) => {
        const slug = slugParam(params.slug);
        const query = parseOrThrow(ThreadQuerySchema, Object.fromEntries(url.searchParams));
        // The reader's likes are marked (`likedByMe`) when they have a guest session; none is made for a read.
        const viewerGuestId = guestFromRequest(req, secret);
        return { status: 200, body: await services.threads.getThread({ slug, sort: query.sort, after: query.after, limit: query.limit, viewerGuestId }) };
      },
    },
    {
      method: 'GET',
      path: '/api/threads/:slug/events',
      handle: async ({ params, url }) => {
        const slug = slugParam(params.slug);
        const query = parseOrThrow(EventsQuerySchema, Object.fromEntries(url.searchParams));
        return { status: 200, body: await services.threads.catchUp({ slug, afterSeq: query.after }) };
      },
    },
    {
      method: 'POST',
      path: '/api/threads/:slug/comments',
      handle: async ({ req, res, params }) => {
        const slug = slugParam(params.slug);
        const input = parseOrThrow(CreateCommentRequestSchema, await readJsonBody(req));
        const guestId = ensureGuest(req, res, secret);
        const { comment, created } = await services.comments.create({ slug, input, guestId });
        return { status: created ? 201 : 200, body: { comment } };
      },
    },
    {
      method: 'PATCH',
      path: '/api/comments/:id',
      handle: async ({ req, res, params }) => {
        const commentId = commentIdParam(params.id);
        const { body } = parseOrThrow(EditCommentRequestSchema, await readJsonBody(req));
        const comment = await services.comments.edit({ commentId, body, guestId: ensureGuest(req, res, secret) });
        return { status: 200, body: { comment } };
      },
    },
    {
      method: 'DELETE',
      path: '/api/comments/:id',
      handle: async ({ req, res, params }) => {
        const commentId = commentIdParam(params.id);
        const comment = await services.comments.delete({ commentId, guestId: ensureGuest(req, res, secret) });
        return { status: 200, body: { comment } };
      },
    },
    // Like, and take the like back: PUT and DELETE of one resource, so a repeat is harmless either way.
    ...(['PUT', 'DELETE'] as const).map(
      (method): Route => ({
        method,
        path: '/api/comments/:id/like',
        handle: async ({ req, res, params }) => {
          const commentId = commentIdParam(params.id);
          const result = await services.comments.like({ commentId, guestId: ensureGuest(req, res, secret), liked: method === 'PUT' });
          return { status: 200, body: result };
        },
      }),
    ),
  ];
}
