import type { ServerResponse } from 'node:http';

/** The route pattern (`/api/threads/:slug`) that answered a response, for metrics without unbounded labels. */
const labels = new WeakMap<ServerResponse, string>();

export function labelRoute(res: ServerResponse, pattern: string): void {
  labels.set(res, pattern);
}

export function routeLabel(res: ServerResponse): string | undefined {
  return labels.get(res);
}
