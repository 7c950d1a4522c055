import { PulseQuerySchema, PulseSchema } from '../../lib/contract/pulse';
import type { Services } from '../../lib/services';
import { STAFF_ERRORS } from './routeDoc';
import type { Route } from './router';
import { requireStaff } from './staffSession';
import { parseQuery } from './params';

/** The moderators' pulse as JSON: the figures the dashboard (app/moderate/pulse) shows and polls. */
export function pulseRoutes(services: Services): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/moderation/pulse',
      doc: {
        summary: 'The pulse: posts per minute, readers now, the queue, time to a decision, rejected share, the busiest threads and commenters (docs/moderation.md).',
        tag: 'moderation',
        access: 'staff',
        query: PulseQuerySchema,
        responses: { 200: { description: 'The figures of the whole site, or of the thread named by `thread`, over the last `hours` (default 24).', schema: PulseSchema } },
        errors: [...STAFF_ERRORS, 'invalid_request', 'thread_not_found'],
      },
      handle: async ({ req, url }) => {
        await requireStaff(services, req);
        const query = parseQuery(PulseQuerySchema, url);
        const figures = await services.pulse.figures({ slug: query.thread, hours: query.hours });
        return { status: 200, body: figures, headers: { 'cache-control': 'no-store' } };
      },
    },
  ];
}
