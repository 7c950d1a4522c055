import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERRORS } from '../../lib/contract/errors';
import { z } from '../../lib/contract/zod';
import { AppError } from '../../lib/domain/errors';
import type { Metrics } from '../metrics/metrics';
import { sendError, sendJson } from './json';
import { OkSchema } from './routeDoc';
import type { DocumentedRoute } from './router';

const CheckSchema = z.enum(['ok', 'failed', 'not configured']);
export type CheckResult = z.infer<typeof CheckSchema>;

export interface ReadinessReport {
  ready: boolean;
  shuttingDown: boolean;
  checks: { store: CheckResult; redis: CheckResult };
}

export interface OpsDeps {
  readiness(): Promise<ReadinessReport>;
  metrics: Metrics;
  /** Unset: /metrics is off (404). Set: /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
}

const ReadinessSchema = z.object({ ok: z.boolean(), checks: z.object({ store: CheckSchema, redis: CheckSchema }) });

/** The probes, as the OpenAPI document lists them (handleOps answers them, outside the routers). */
export const OPS_ROUTES: DocumentedRoute[] = [
  { method: 'GET', path: '/healthz', doc: { summary: 'Liveness of this process.', tag: 'ops', responses: { 200: { description: 'Alive.', schema: OkSchema } }, errors: [] } },
  {
    method: 'GET',
    path: '/readyz',
    doc: {
      summary: 'Readiness: the database (and Redis, when configured) answer and the server is not stopping.',
      tag: 'ops',
      responses: { 200: { description: 'Ready.', schema: ReadinessSchema } },
      errors: ['not_ready'],
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    doc: {
      summary: 'Prometheus metrics (only with METRICS_TOKEN set; send it as a bearer token).',
      tag: 'ops',
      responses: { 200: { description: 'Prometheus text format.', contentType: 'text/plain' } },
      errors: ['not_found', 'forbidden'],
    },
  },
];

export const OPS_PATHS = new Set(OPS_ROUTES.map((route) => route.path));

/**
 * Probes and metrics for orchestrators and Prometheus, outside /api (they are
 * about this process, not the comment board). Answers only GET and HEAD.
 */
export async function handleOps(deps: OpsDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, new AppError('method_not_allowed'), { allow: 'GET, HEAD' });
  if (path === '/healthz') return sendJson(res, 200, { ok: true });
  if (path === '/readyz') {
    const report = await deps.readiness();
    if (report.ready) return sendJson(res, 200, { ok: true, checks: report.checks });
    const message = report.shuttingDown ? 'This server is shutting down.' : ERRORS.not_ready.message;
    return sendJson(res, 503, { error: { code: 'not_ready', message }, shuttingDown: report.shuttingDown, checks: report.checks }, { 'retry-after': '5' });
  }
  if (!deps.metricsToken) return sendError(res, new AppError('not_found'));
  if (!bearerMatches(req.headers.authorization, deps.metricsToken)) {
    return sendError(res, new AppError('forbidden', { message: 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".' }));
  }
  const { contentType, body } = await deps.metrics.render();
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
