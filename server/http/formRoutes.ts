import { createHash } from 'node:crypto';
import { CreateCommentRequestSchema, SortSchema } from '../../lib/contract/api';
import { AppError, toAppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readFormBody } from './body';
import { authorOfRequest } from './person';
import { clientInfo } from './clientInfo';
import { clientAddress, normalizeOrigin, requestSite } from './origin';
import { z } from '../../lib/contract/zod';
import { commentIdParam } from './params';
import { COMMENT_ID_PARAM, SLUG_PARAM } from './routeDoc';
import type { Route, RouteContext } from './router';
import { FORM_DONE } from '../../lib/domain/sharedPage';

/** The no-JavaScript form: every field arrives as text. */
const CommentFormSchema = z.object({
  body: z.string(),
  authorName: z.string(),
  parentId: z.string().optional(),
  clientId: z.string().optional(),
});

const LikeFormSchema = z.object({
  /** `false` takes the like back; anything else likes (the form's button carries it). */
  liked: z.string().optional(),
  /** The page's order to come back to; the page's form says it in the action's query (`?sort=`) instead, when not the default. */
  sort: z.string().optional(),
});

/**
 * A form post's proof that it came from one of this site's own pages, which carry no token (a shared
 * page cannot carry one per reader: docs/security.md, row 4). Every browser that posts a form says where
 * from: `Origin` (this site's own: the ALLOWED_ORIGINS that may call the JSON API do not post our forms),
 * or at least `Sec-Fetch-Site: same-origin`. Other sites' posts were refused at the edge already; this
 * refuses a post that says nothing, too, rather than guess it is not forged.
 */
export function requireOwnPage(req: RouteContext['req']): void {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (origin !== undefined ? normalizeOrigin(origin) === requestSite(req) : site === 'same-origin') return;
  throw new AppError('form_token_invalid');
}

/**
 * A no-JavaScript post's idempotency key: the page's key with what was written. The page is shared, so
 * its key is the same for every reader of a thread version (requestViewer.ts, clientIdSeed), and a reader
 * may well post twice from pages of one version (a cache serves it until it is renewed): the same text
 * sent twice (a double click, a resent form) is one comment, another text is another comment.
 */
function formPostKey(pageKey: string, input: { body: string; parentId: string | null }): string {
  return createHash('sha256').update(`${pageKey}\u0000${input.parentId ?? ''}\u0000${input.body}`).digest('base64url').slice(0, 32);
}

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
          303: {
            description: 'Back to the article: to the new comment (`?posted=<id>`); to the form with `?held=<id>` when it is held for review, or with `?error=<code>&field=<field>`.',
            headers: ['location'],
          },
        },
        errors: ['thread_not_found', 'cross_site', 'payload_too_large'],
      },
      handle: async ({ req, res, params }) => {
        const slug = params.slug ?? '';
        const page = `/articles/${encodeURIComponent(slug)}`;
        try {
          requireOwnPage(req);
          const form = await readFormBody(req);
          // A first-time reader gets their guest cookie with their first post: the page they posted from is everyone's.
          const author = await authorOfRequest(services, req, res);
          const input = parseOrThrow(CreateCommentRequestSchema, {
            body: form.body ?? '',
            // A signed-in person's form has no name field: their display name is theirs.
            authorName: author.account ? undefined : (form.authorName ?? ''),
            parentId: form.parentId || undefined,
            clientId: form.clientId || undefined,
          });
          if (input.clientId) input.clientId = formPostKey(input.clientId, input);
          const { comment } = await services.comments.create({ slug, input, guestId: author.personId, account: author.account, address: clientAddress(req), client: clientInfo(req) });
          // A held comment is not in the page everyone gets: the reader is told it arrived, by the form. A posted one is
          // (`posted`: the answer is this reader's page, server/pageCache/shareableRequest.ts, so no shared cache answers it
          // with the version before their comment).
          if (comment.status === 'pending') return { status: 303, location: `${page}?held=${comment.id}#comment-form` };
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
          303: {
            description: 'Back to the comment on the article page, with `?liked=<id>` (shown pressed there) after a like, or `?likeError=<code>` when it was refused.',
            headers: ['location'],
          },
        },
        errors: ['cross_site', 'payload_too_large'],
      },
      handle: async ({ req, res, params, url }) => {
        const slug = params.slug ?? '';
        const query = new URLSearchParams();
        const page = (extra: Record<string, string> = {}) => {
          for (const [key, value] of Object.entries(extra)) query.set(key, value);
          const search = query.toString();
          return `/articles/${encodeURIComponent(slug)}${search ? `?${search}` : ''}`;
        };
        try {
          const form = await readFormBody(req);
          const sort = SortSchema.safeParse(form.sort ?? url.searchParams.get('sort') ?? undefined);
          if (sort.success && sort.data !== 'oldest') query.set('sort', sort.data);
          const commentId = commentIdParam(params.id);
          requireOwnPage(req);
          const { personId } = await authorOfRequest(services, req, res);
          const liked = form.liked !== 'false';
          await services.comments.like({ commentId, guestId: personId, address: clientAddress(req), liked });
          // The page everyone gets cannot show the like as theirs: the answer's address says it (`?liked=`).
          return { status: 303, location: `${page({ [liked ? FORM_DONE.liked : FORM_DONE.unliked]: commentId })}#c-${commentId}` };
        } catch (err) {
          const error = toAppError(err);
          if (error.status >= 500) throw error;
          return { status: 303, location: `${page({ likeError: error.code })}#c-${encodeURIComponent(params.id ?? '')}` };
        }
      },
    },
  ];
}

