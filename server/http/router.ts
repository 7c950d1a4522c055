import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, toAppError } from '../../lib/domain/errors';
import type { Logger } from '../log';
import { sendError, sendJson } from './json';
import type { RouteDoc } from './routeDoc';
import { labelRoute } from './routeLabel';
import { loggedUrl } from './loggedUrl';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  req: IncomingMessage;
  /** For headers only (a cookie); the router writes the body. */
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

/** Answers are JSON (`body`, with `headers` beside the defaults), a redirect, or text of another type (`text`: null for a bodiless 304). */
export type RouteResult =
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { status: 303; location: string }
  | { status: number; text: string | null; headers: Record<string, string> };

/** A route as the OpenAPI document lists it: where, and its documentation (required, so no route ships undocumented). */
export interface DocumentedRoute {
  method: Method;
  /** `/api/threads/:slug`: a `:name` segment matches one path segment. */
  path: string;
  doc: RouteDoc;
}

export interface Route extends DocumentedRoute {
  handle(ctx: RouteContext): Promise<RouteResult>;
  /**
   * Takes a plain form post without the JSON API's rule (`guard`): only for a route whose token in
   * the address is its whole authority (RFC 8058's one-click unsubscribe, posted by mail clients).
   */
  unguarded?: true;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

/** A small JSON router: every answer, errors included, is JSON with a stable error code. */
export function createRouter(options: {
  routes: Route[];
  log: Logger;
  /** Runs before any route (a rate limit); what it throws is answered like a handler's error. */
  limit?: (req: IncomingMessage) => Promise<void>;
  /** Runs once a route matched, before it: throws to refuse. */
  guard?: (req: IncomingMessage) => void;
}) {
  const routes = options.routes.map(compile);

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await options.limit?.(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      if (matching.length === 0) throw new AppError('not_found');
      const route = matching.find((r) => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'));
      if (!route) {
        const allow = [...new Set(matching.map((r) => r.method))].join(', ');
        return sendError(res, new AppError('method_not_allowed'), { allow });
      }
      labelRoute(res, route.path);
      if (!route.unguarded) options.guard?.(req);
      const match = route.pattern.exec(url.pathname)!;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeParam(match[i + 1]!)));
      const result = await route.handle({ req, res, url, params });
      if ('location' in result) {
        res.writeHead(303, { location: result.location, 'cache-control': 'no-store' });
        res.end();
      } else if ('text' in result) {
        res.writeHead(result.status, result.text === null ? result.headers : { ...result.headers, 'content-length': Buffer.byteLength(result.text) });
        res.end(req.method === 'HEAD' || result.text === null ? undefined : result.text);
      } else sendJson(res, result.status, result.body, result.headers);
    } catch (err) {
      const error = toAppError(err);
      if (error.status >= 500) options.log.error(`${req.method} ${loggedUrl(req.url)} failed: ${error.detail ?? error.message}`);
      const headers: Record<string, string> = error.retryAfter !== undefined ? { 'retry-after': String(error.retryAfter) } : {};
      // The rest of an oversized body is not worth reading: the connection ends with the answer.
      if (error.code === 'payload_too_large') headers.connection = 'close';
      if (!res.headersSent) sendError(res, error, headers);
      else res.destroy();
    }
  };
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError('invalid_request', { message: 'The URL is not validly encoded.' });
  }
}
