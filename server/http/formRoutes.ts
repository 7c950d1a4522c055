import { CreateCommentRequestSchema } from '../../lib/contract/api';
import { verifyFormToken } from '../../lib/domain/guestToken';
import { AppError, toAppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readFormBody } from './body';
import { guestFromRequest } from './guestSession';
import type { Route } from './router';

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
          const { comment } = await services.comments.create({ slug, input, guestId });
          return { status: 303, location: `${page}#c-${comment.id}` };
        } catch (err) {
          const error = toAppError(err);
          if (error.code === 'thread_not_found' || error.status >= 500) throw error;
          const field = error.fields ? Object.keys(error.fields)[0] : undefined;
          const query = new URLSearchParams({ error: error.code, ...(field && { field }) });
          return { status: 303, location: `${page}?${query.toString()}#comment-form` };
        }
      },
    },
  ];
}

