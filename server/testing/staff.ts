import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ReportRequest } from '../../lib/contract/api';
import { ErrorResponseSchema, type ErrorBody } from '../../lib/contract/errors';
import { sessionRoom, type ModerationAct } from '../../lib/contract/socket';
import { cookieName } from '../../lib/domain/cookieNames';
import { GUEST_COOKIE } from '../../lib/domain/guestToken';
import { sessionIdOf } from '../../lib/services/authService';
import type { Role } from '../../lib/store/accountStore';
import { STAFF_COOKIE } from '../http/staffSession';
import { sendRequest, type HttpResult, type RequestOptions } from './http';
import type { TestNode } from './nodes';
import type { ClientSocket } from './sockets';
import { waitFor } from './wait';

/**
 * A browser over HTTP for staff tests: unlike HttpGuest (which keeps only the
 * guest cookie) it keeps every cookie the server sets, the moderator's
 * `tl_session` included, and forgets one the server expires (`Max-Age=0`).
 */
export class WebClient {
  readonly jar = new Map<string, string>();

  constructor(
    public baseUrl: string,
    cookies: Record<string, string> = {},
  ) {
    for (const [name, value] of Object.entries(cookies)) this.jar.set(name, value);
  }

  /** The `Cookie` header this client sends (also what its sockets send), or undefined with no cookies. */
  get cookie(): string | undefined {
    return this.jar.size === 0 ? undefined : [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The moderator's session token, once signed in. */
  get sessionToken(): string | undefined {
    return this.jar.get(cookieName(STAFF_COOKIE, true)) ?? this.jar.get(STAFF_COOKIE);
  }

  /** The guest id in the signed `tl_guest` (or `__Host-tl_guest`) cookie (what a ban names), once the server has set one. */
  get guestId(): string | undefined {
    return (this.jar.get(cookieName(GUEST_COOKIE, true)) ?? this.jar.get(GUEST_COOKIE))?.split('.')[0];
  }

  /** The same cookies against another node (a cluster shares the store, so the session is valid there too). */
  on(baseUrl: string): WebClient {
    return new WebClient(baseUrl, Object.fromEntries(this.jar));
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const result = await sendRequest({ baseUrl: this.baseUrl, method, path, cookie: this.cookie, ...options });
    for (const setCookie of result.setCookies) {
      const [pair = '', ...attributes] = setCookie.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === '';
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return result;
  }

  get(path: string): Promise<HttpResult> {
    return this.request('GET', path);
  }

  post(path: string, json?: unknown): Promise<HttpResult> {
    return this.request('POST', path, json === undefined ? {} : { json });
  }

  /** A guest's comment on a thread. */
  comment(slug: string, json: { body: string; authorName: string; parentId?: string; clientId?: string }): Promise<HttpResult> {
    return this.request('POST', `/api/threads/${slug}/comments`, { json });
  }

  /** A reader's report: words alone (an `other` report), or a request as the report dialog sends it. */
  report(commentId: string, report: string | ReportRequest): Promise<HttpResult> {
    return this.request('POST', `/api/comments/${commentId}/report`, { json: typeof report === 'string' ? { reason: report } : report });
  }

  login(username: string, password: string): Promise<HttpResult> {
    return this.request('POST', '/api/auth/login', { json: { username, password } });
  }

  logout(): Promise<HttpResult> {
    return this.request('POST', '/api/auth/logout');
  }

  /** `POST /api/comments/<id>/<action>`, with an optional reason. */
  act(commentId: string, action: string, reason?: string): Promise<HttpResult> {
    return this.post(`/api/comments/${commentId}/${action}`, reason === undefined ? undefined : { reason });
  }

  lock(slug: string, reason?: string): Promise<HttpResult> {
    return this.post(`/api/threads/${slug}/lock`, reason === undefined ? undefined : { reason });
  }

  unlock(slug: string): Promise<HttpResult> {
    return this.post(`/api/threads/${slug}/unlock`);
  }

  settings(slug: string, json: unknown): Promise<HttpResult> {
    return this.request('PATCH', `/api/threads/${slug}`, { json });
  }
}

export interface Account {
  username: string;
  password: string;
  role: Role;
}

/** A new moderator or admin account with a unique name (tests sharing a database do not meet). */
export async function createAccount(node: TestNode, role: Role, label: string = role.slice(0, 3)): Promise<Account> {
  const username = `${label}-${randomBytes(5).toString('hex')}`;
  const password = `pw-${randomBytes(9).toString('hex')}`;
  await node.services.auth.upsertUser({ username, password, role });
  return { username, password, role };
}

/**
 * Signs in through the real auth service with a client key of its own, so the
 * sign-in limit (5 a minute per client address, all tests being 127.0.0.1) is
 * left to the tests about it. The session works on every node of the store.
 */
export async function signIn(node: TestNode, account: Account): Promise<WebClient> {
  const { token } = await node.services.auth.login({ username: account.username, password: account.password, clientKey: `test-${randomBytes(6).toString('hex')}` });
  return new WebClient(node.baseUrl, { [STAFF_COOKIE]: token });
}

/** A staff account and a client signed in as it. */
export interface StaffMember {
  account: Account;
  client: WebClient;
}

/** A new account of this role, signed in. */
export async function staffMember(node: TestNode, role: Role, label?: string): Promise<StaffMember> {
  const account = await createAccount(node, role, label);
  return { account, client: await signIn(node, account) };
}

/** Asserts an HTTP error answer: its status and code. */
export function expectError(res: HttpResult, status: number, code: ErrorBody['code'], what = ''): ErrorBody {
  assert.equal(res.status, status, `${what} expected ${status} ${code}, got ${res.status}: ${JSON.stringify(res.body)}`);
  const { error } = ErrorResponseSchema.parse(res.body);
  assert.equal(error.code, code, what);
  assert.ok(error.message.length > 0, what);
  return error;
}

/** Asserts a status and returns the body. */
export function expectStatus(res: HttpResult, status: number, what = ''): unknown {
  assert.equal(res.status, status, `${what} expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** `moderation:act` over a socket, with its acknowledgement. */
export function moderationAct(socket: ClientSocket, request: ModerationAct | Record<string, unknown>) {
  return socket.timeout(10_000).emitWithAck('moderation:act', request as ModerationAct);
}

/** `moderation:subscribe` over a socket, with its acknowledgement (the queue as it is now). */
export function moderationSubscribe(socket: ClientSocket) {
  return socket.timeout(10_000).emitWithAck('moderation:subscribe');
}

/**
 * Waits until the server has put this staff socket in its session's room (it
 * does so after checking the session, just after the connection), so that a
 * revocation from then on disconnects it.
 */
export async function waitForStaffSocket(node: TestNode, socket: ClientSocket, token: string): Promise<void> {
  const room = sessionRoom(sessionIdOf(token));
  await waitFor(`the staff socket ${socket.id ?? '?'} to be in its session room on ${node.baseUrl}`, () => {
    const members = node.app.io.of('/').adapter.rooms.get(room);
    return socket.id !== undefined && members?.has(socket.id) === true;
  });
}

/** Resolves with the reason when the socket is disconnected. */
export function disconnection(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => {
    if (!socket.connected) resolve('already disconnected');
    else socket.once('disconnect', (reason) => resolve(reason));
  });
}
