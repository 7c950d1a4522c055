import type { Services } from '../../lib/services';
import type { Metrics } from './metrics';

/**
 * The services with posting timed and catch-up sizes observed: one place
 * covers the HTTP API, the socket events and the no-JavaScript form. Posting
 * is timed from the service call to commit + publish.
 */
export function instrumentServices(services: Services, metrics: Metrics): Services {
  const create = services.comments.create.bind(services.comments);
  const catchUp = services.threads.catchUp.bind(services.threads);
  return {
    ...services,
    threads: {
      ...services.threads,
      async catchUp(request) {
        const result = await catchUp(request);
        metrics.catchUpSize.observe(result.missed.length);
        return result;
      },
    },
    comments: {
      ...services.comments,
      async create(request) {
        const end = metrics.postLatency.startTimer();
        try {
          const result = await create(request);
          end({ outcome: result.created ? 'created' : 'retried' });
          return result;
        } catch (err) {
          end({ outcome: 'error' });
          throw err;
        }
      },
    },
  };
}
