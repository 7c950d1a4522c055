import http from 'node:http';
import { BRANCHES_PER_PAGE_MAX, ThreadResponseSchema, type CommentView, type ThreadResponse } from '../../lib/contract/api';
import { cookieName } from '../../lib/domain/cookieNames';
import { GUEST_COOKIE } from '../../lib/domain/guestToken';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: unknown;
  /** The raw `Set-Cookie` headers of the response. */
  setCookies: string[];
}

export interface RequestOptions {
  json?: unknown;
  raw?: string;
  contentType?: string;
  /**
   * The Origin header. By default a request that changes state carries the
   * server's own origin, as the site's pages send it; null sends none (curl).
   */
  origin?: string | null;
  headers?: Record<string, string>;
}

/** One request with the given cookie; a JSON answer is parsed, the raw Set-Cookie headers are kept. */
export async function sendRequest(request: { baseUrl: string; method: string; path: string; cookie: string | undefined } & RequestOptions): Promise<HttpResult> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.cookie) headers.cookie = request.cookie;
  const origin = request.origin === undefined ? (['GET', 'HEAD'].includes(request.method) ? null : new URL(request.baseUrl).origin) : request.origin;
  if (origin !== null) headers.origin = origin;
  let body: string | undefined;
  if (request.raw !== undefined) {
    body = request.raw;
    headers['content-type'] = request.contentType ?? 'text/plain';
  } else if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] = request.contentType ?? 'application/json';
  }
  // A redirect (the no-JavaScript form's answer) is the result, not something to follow.
  const res = await fetch(`${request.baseUrl}${request.path}`, { method: request.method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) parsed = JSON.parse(text) as unknown;
  return { status: res.status, headers: res.headers, body: parsed, setCookies: res.headers.getSetCookie() };
}

/**
 * A visitor over HTTP. Like a browser, it keeps the signed guest cookie the
 * server sets on its first post and sends it back, so it stays one guest.
 */
export class HttpGuest {
  /** `tl_guest=<token>` (`__Host-tl_guest` over HTTPS), once the server has set one. */
  cookie: string | undefined;

  constructor(
    readonly baseUrl: string,
    cookie?: string,
  ) {
    this.cookie = cookie;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const result = await sendRequest({ baseUrl: this.baseUrl, method, path, cookie: this.cookie, ...options });
    const guest = result.setCookies.find((c) => [false, true].some((secure) => c.startsWith(`${cookieName(GUEST_COOKIE, secure)}=`)) && !/max-age=0/i.test(c));
    if (guest) this.cookie = guest.split(';')[0];
    return result;
  }

  get(path: string): Promise<HttpResult> {
    return this.request('GET', path);
  }

  post(slug: string, json: unknown): Promise<HttpResult> {
    return this.request('POST', `/api/threads/${slug}/comments`, { json });
  }

  /** One page of a thread (`query` as in `GET /api/threads/<slug>?…`); anything but a 200 fails. */
  async threadPage(slug: string, query: string): Promise<ThreadResponse> {
    const res = await this.get(`/api/threads/${slug}?${query}`);
    if (res.status !== 200) throw new Error(`GET thread ${slug}?${query}: ${res.status} ${JSON.stringify(res.body)}`);
    return ThreadResponseSchema.parse(res.body);
  }

  /** The whole thread as the API pages it, following `nextCursor` to the end. */
  async readThread(slug: string, options: { sort?: 'oldest' | 'newest' | 'top'; limit?: number } = {}): Promise<ThreadResponse> {
    const query = new URLSearchParams({ limit: String(options.limit ?? BRANCHES_PER_PAGE_MAX), ...(options.sort && { sort: options.sort }) });
    let page: ThreadResponse | undefined;
    const comments: CommentView[] = [];
    do {
      if (page?.nextCursor) query.set('after', page.nextCursor);
      page = await this.threadPage(slug, query.toString());
      comments.push(...page.comments);
    } while (page.nextCursor !== null);
    return { ...page, comments };
  }

  patch(commentId: string, json: unknown): Promise<HttpResult> {
    return this.request('PATCH', `/api/comments/${commentId}`, { json });
  }

  remove(commentId: string): Promise<HttpResult> {
    return this.request('DELETE', `/api/comments/${commentId}`);
  }
}

/** A POST whose headers are sent now and whose body is sent by `finish`: a request in flight. */
export function heldPost(baseUrl: string, slug: string, json: unknown) {
  const body = JSON.stringify(json);
  const url = new URL(`${baseUrl}/api/threads/${slug}/comments`);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
  answered.catch(() => {});
  const connected = new Promise<void>((resolve) => req.once('socket', (s) => s.once('connect', () => resolve())));
  req.flushHeaders();
  return { connected, answered, finish: () => req.end(body) };
}

/**
 * One request with `path` sent exactly as written (`/articles/%ZZ`): node's http client, not fetch,
 * which would normalize or refuse an address a raw client can still send.
 */
export function rawRequest(request: { baseUrl: string; method?: string; path: string; headers?: Record<string, string> }): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const url = new URL(request.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: request.path, method: request.method ?? 'GET', headers: request.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}
