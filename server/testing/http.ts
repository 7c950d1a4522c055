import { GUEST_COOKIE } from '../../lib/domain/guestToken';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: unknown;
  /** The raw `Set-Cookie` headers of the response. */
  setCookies: string[];
}

/**
 * A visitor over HTTP. Like a browser, it keeps the signed guest cookie the
 * server sets on its first post and sends it back, so it stays one guest.
 */
export class HttpGuest {
  /** `tl_guest=<token>`, once the server has set one. */
  cookie: string | undefined;

  constructor(
    readonly baseUrl: string,
    cookie?: string,
  ) {
    this.cookie = cookie;
  }

  async request(method: string, path: string, options: { json?: unknown; raw?: string; contentType?: string } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'text/plain';
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').startsWith('application/json')) parsed = JSON.parse(text) as unknown;
    const setCookies = res.headers.getSetCookie();
    const guest = setCookies.find((c) => c.startsWith(`${GUEST_COOKIE}=`));
    if (guest) this.cookie = guest.split(';')[0];
    return { status: res.status, headers: res.headers, body: parsed, setCookies };
  }

  get(path: string): Promise<HttpResult> {
    return this.request('GET', path);
  }

  post(slug: string, json: unknown): Promise<HttpResult> {
    return this.request('POST', `/api/threads/${slug}/comments`, { json });
  }

  patch(commentId: string, json: unknown): Promise<HttpResult> {
    return this.request('PATCH', `/api/comments/${commentId}`, { json });
  }

  remove(commentId: string): Promise<HttpResult> {
    return this.request('DELETE', `/api/comments/${commentId}`);
  }
}
