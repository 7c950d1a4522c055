import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log';
import type { Metrics } from '../metrics/metrics';
import { routeLabel } from './routeLabel';

/** Probes and build assets: counted in the metrics, but a log line each would drown the rest. */
const QUIET = /^\/(?:healthz|readyz|metrics|favicon\.ico)$|^\/_next\/|\.(?:js|css|map|png|jpe?g|gif|svg|ico|woff2?|txt|webp)$/;

/**
 * One log line and one metrics sample per HTTP request, when its response is
 * finished (or the connection dropped). Headers are logged only for server
 * errors, to diagnose them; the logger redacts cookies and credentials.
 */
export function trackRequest(options: { req: IncomingMessage; res: ServerResponse; path: string; log: Logger; metrics: Metrics }): void {
  const { req, res, path, log, metrics } = options;
  const started = process.hrtime.bigint();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = res.writableFinished ? res.statusCode : 0; // 0: the client went away first.
    const route = routeLabel(res) ?? pageLabel(path);
    const method = req.method ?? 'GET';
    metrics.httpRequests.inc({ method, route, status: String(status) });
    metrics.httpDuration.observe({ method, route }, seconds);
    if (QUIET.test(path) && status > 0 && status < 500) return;
    const fields = {
      req: { method, path, ...(status >= 500 && { headers: req.headers, remoteAddress: req.socket.remoteAddress }) },
      res: { status, ...(status >= 500 && { headers: res.getHeaders() }) },
      route,
      durationMs: Math.round(seconds * 10_000) / 10,
    };
    const line = `${method} ${path} ${status || 'aborted'} ${fields.durationMs}ms`;
    if (status >= 500) log.error(line, undefined, fields);
    // Below 500 the fields are method, path (no query), status, route and duration: nothing to redact.
    else if (log.infoTrusted) log.infoTrusted(line, fields);
    else log.info(line, fields);
  };
  res.once('finish', finish);
  res.once('close', finish);
}

function pageLabel(path: string): string {
  if (/^\/(?:healthz|readyz|metrics)$/.test(path)) return path;
  if (path.startsWith('/_next/')) return 'static';
  if (path.startsWith('/api/')) return 'api:unmatched';
  return 'page';
}
