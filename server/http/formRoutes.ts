import { CreateCommentRequestSchema, SortSchema } from '../../lib/contract/api';
import { verifyFormToken } from '../../lib/domain/guestToken';
import { AppError, toAppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readFormBody } from './body';
import { guestFromRequest } from './guestSession';
import { clientInfo } from './clientInfo';
import { clientAddress } from './origin';
import { z } from '../../lib/contract/zod';
import { commentIdParam } from './params';
import { COMMENT_ID_PARAM, SLUG_PARAM } from './routeDoc';
import type { Route } from './router';
import { FORM_DONE } from '../pageCache/shareableRequest';

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

/**
 * Posting without JavaScript: the page's plain HTML form posts here and the
 * reader is sent back to the page — to their new comment, or to the form with
 * the reason it was refused.
 */
export function formRoutes(services: Services): Route[] {
  return [
    {
      method: 'POST',
      path: '/articles/:slug/comments',
      doc: {
        summary: 'Post a comment without JavaScript (the article page’s HTML form).',
        tag: 'comments',
        params: SLUG_PARAM,
        body: { schema: CommentFormSchema, contentType: 'application/x-www-form-urlencoded' },
        responses: {
          303: { description: 'Back to the article: to the new comment (`?posted=<id>`), or to the form with `?error=<code>&field=<field>`.', headers: ['location'] },
        },
        errors: ['thread_not_found', 'cross_site', 'payload_too_large'],
      },
      handle: async ({ req, params }) => {
        const slug = params.slug ?? '';
        const page = `/articles/${encodeURIComponent(slug)}`;
        try {
          const form = await readFormBody(req);
          // The page's token for the guest in the signed cookie: another site can make neither (docs/security.md).
          const guestId = guestFromRequest(req, services.sessionSecret);
          if (!guestId || !verifyFormToken(form.formToken, guestId, services.sessionSecret)) throw new AppError('form_token_invalid');
          const input = parseOrThrow(CreateCommentRequestSchema, {
            body: form.body ?? '',
            authorName: form.authorName ?? '',
            parentId: form.parentId || undefined,
            clientId: form.clientId || undefined,
          });
          const { comment } = await services.comments.create({ slug, input, guestId, address: clientAddress(req), client: clientInfo(req) });
          // `posted`: the page answering this reader's post is theirs (server/pageCache/shareableRequest.ts), so no shared
          // cache answers it with the version before their comment.
          return { status: 303, location: `${page}?${FORM_DONE.posted}=${encodeURIComponent(comment.id)}#c-${comment.id}` };
        } catch (err) {
          const error = toAppError(err);
          if (error.code === 'thread_not_found' || error.status >= 500) throw error;
          const field = error.fields ? Object.keys(error.fields)[0] : undefined;
          const query = new URLSearchParams({ error: error.code, ...(field && { field }) });
          return { status: 303, location: `${page}?${query.toString()}#comment-form` };
        }
      },
    },
    {
      // The like button without JavaScript: a one-button form; back to the comment, in the same sort.
      method: 'POST',
      path: '/articles/:slug/comments/:id/like',
      doc: {
        summary: 'Like or take back a like without JavaScript (the like button’s HTML form).',
        tag: 'comments',
        params: { ...SLUG_PARAM, ...COMMENT_ID_PARAM },
        body: { schema: LikeFormSchema, contentType: 'application/x-www-form-urlencoded' },
        responses: {
          303: { description: 'Back to the comment on the article page (`?liked=<id>`), with `?likeError=<code>` when the like was refused.', headers: ['location'] },
        },
        errors: ['cross_site', 'payload_too_large'],
      },
      handle: async ({ req, params }) => {
        const slug = params.slug ?? '';
        const query = new URLSearchParams();
        const page = (extra: Record<string, string> = {}) => {
          for (const [key, value] of Object.entries(extra)) query.set(key, value);
          const search = query.toString();
          return `/articles/${encodeURIComponent(slug)}${search ? `?${search}` : ''}`;
        };
        try {
          const form = await readFormBody(req);
          const sort = SortSchema.safeParse(form.sort);
          if (sort.success && sort.data !== 'oldest') query.set('sort', sort.data);
          const commentId = commentIdParam(params.id);
          const guestId = guestFromRequest(req, services.sessionSecret);
          if (!guestId || !verifyFormToken(form.formToken, guestId, services.sessionSecret)) throw new AppError('form_token_invalid');
          await services.comments.like({ commentId, guestId, address: clientAddress(req), liked: form.liked !== 'false' });
          return { status: 303, location: `${page({ [FORM_DONE.liked]: commentId })}#c-${commentId}` };
        } catch (err) {
          const error = toAppError(err);
          if (error.status >= 500) throw error;
          return { status: 303, location: `${page({ likeError: error.code })}#c-${encodeURIComponent(params.id ?? '')}` };
        }
      },
    },
  ];
}

