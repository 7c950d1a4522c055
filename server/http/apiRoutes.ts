import { SlugSchema, ThreadQuerySchema } from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import type { Route } from './router';

/** The public JSON API (docs/api.md). Handlers validate, call a service and answer: no SQL here. */
export function apiRoutes(services: Services): Route[] {
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
      handle: async ({ params, url }) => {
        // A string that could never be a slug names no thread.
        if (!SlugSchema.safeParse(params.slug).success) throw new AppError('thread_not_found');
        const query = parseOrThrow(ThreadQuerySchema, Object.fromEntries(url.searchParams));
        return { status: 200, body: await services.threads.getThread({ slug: params.slug!, sort: query.sort }) };
      },
    },
  ];
}
