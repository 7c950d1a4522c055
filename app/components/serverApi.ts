import type { SiteSettings } from '../../lib/domain/commentPolicy';
import type { BanDetails } from '../../lib/contract/errors';
import type { CatchUp, CommentView, CreateCommentRequest, LikeResponse, ReportRequest, Sort, ViewerResponse } from '../../lib/contract/api';
import { errorOf, hasComment, isCatchUp, isLikeResponse, isThreadResponse, isViewerResponse } from '../../lib/client/wireGuards';
import { errorKey } from '../i18n/errorMessage';
import type { MessageKey } from '../i18n/translator';

/**
 * Every HTTP call the pages' components make (docs/api.md), with one answer
 * shape: the data, or an error with the message to show by translation key.
 * Nothing here throws: no network, an error status, a body that is not JSON
 * or not the expected shape all come back as `{ ok: false, error }`.
 */
export interface ApiError {
  /** A server error code (lib/contract/errors.ts), or one of CLIENT_ERRORS. */
  code: string;
  /** What to tell the reader: a key of app/i18n/messages. */
  message: MessageKey;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** Seconds until trying again can succeed (`rate_limited`, `unavailable`). */
  retryAfter?: number;
  /** With `banned`: why, and until when (null: for good). */
  ban?: BanDetails;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** Failures the client finds by itself: the server never sends these codes. */
export const CLIENT_ERRORS = {
  /** The request never got an answer (no network, the server gone). */
  offline: 'error.offline',
  /** A socket acknowledgement that did not come in time. */
  no_answer: 'error.noAnswer',
  /** An answer that is not JSON, or not the shape asked for. */
  bad_response: 'error.badResponse',
} as const satisfies Record<string, MessageKey>;

export function clientError(code: keyof typeof CLIENT_ERRORS): ApiError {
  return { code, message: CLIENT_ERRORS[code] };
}

/** A refusal the server sent (over HTTP or in a socket acknowledgement), worded by its code. */
export function serverError(error: { code: string; retryAfter?: number; ban?: BanDetails } | null, options: { status?: number; fallback?: MessageKey } = {}): ApiError {
  const code = error?.code ?? 'unknown';
  return {
    code,
    message: errorKey(error?.code, options.fallback),
    ...(options.status !== undefined && { status: options.status }),
    ...(error?.retryAfter !== undefined && { retryAfter: error.retryAfter }),
    ...(error?.ban !== undefined && { ban: error.ban }),
  };
}

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;
const JSON_BODY = { 'content-type': 'application/json' };

/** A request's method, with its body as JSON when there is one. */
export const send = (method: string, body?: unknown): RequestInit => (body === undefined ? { method } : { method, headers: JSON_BODY, body: JSON.stringify(body) });

/** A body check from a type guard: the body itself when it passes. */
export const checked =
  <T>(guard: (json: unknown) => json is T) =>
  (json: unknown) =>
    guard(json) ? json : undefined;

/**
 * The one way the pages call the server (serverApi below; the staff pages' own calls,
 * app/components/staff, are made with it too, so the readers' bundle does not carry them).
 */
export function createCall(fetchImpl: Fetch) {
  /** One request; `read` checks the success body (null: no body is read). */
  return async function call<T>(url: string, init: RequestInit, read: ((json: unknown) => T | undefined) | null, fallback?: MessageKey): Promise<ApiResult<T>> {
    let res: Response;
    try {
      res = await fetchImpl(url, init);
    } catch {
      return { ok: false, error: clientError('offline') };
    }
    let json: unknown;
    try {
      json = read === null && res.ok ? null : await res.json();
    } catch {
      // Cut off mid-body, or not JSON (a proxy's error page): nothing to read.
      if (res.ok) return { ok: false, error: clientError('bad_response') };
      return { ok: false, error: serverError(null, { status: res.status, fallback }) };
    }
    if (!res.ok) return { ok: false, error: serverError(errorOf(json), { status: res.status, fallback }) };
    if (read === null) return { ok: true, data: undefined as T };
    const data = read(json);
    return data === undefined ? { ok: false, error: clientError('bad_response') } : { ok: true, data };
  };
}

export function createServerApi(fetchImpl: Fetch) {
  const call = createCall(fetchImpl);
  const readComment = (json: unknown) => (hasComment(json) ? json.comment : undefined);

  return {
    /** A page of branches in the reader's order: the first, or the one after `after`. */
    threadPage: (slug: string, sort: Sort, after?: string) =>
      call(`/api/threads/${slug}?sort=${sort}${after === undefined ? '' : `&after=${after}`}`, { headers: { accept: 'application/json' } }, checked(isThreadResponse)),
    /** What is this reader's own on the thread (`framed`: from the embed's frame, for the guest cookie it may set). */
    viewer: (slug: string, framed: boolean) => call<ViewerResponse>(`/api/threads/${slug}/viewer${framed ? '?frame=1' : ''}`, {}, checked(isViewerResponse)),
    /** The events after a seq (or `resync` when there are too many). */
    events: (slug: string, after: number) => call<CatchUp>(`/api/threads/${slug}/events?after=${after}`, {}, checked(isCatchUp)),
    postComment: (slug: string, request: CreateCommentRequest) => call<CommentView>(`/api/threads/${slug}/comments`, send('POST', request), readComment, 'error.notPosted'),
    editComment: (id: string, body: string) => call<CommentView>(`/api/comments/${id}`, send('PATCH', { body }), readComment),
    deleteComment: (id: string) => call<CommentView>(`/api/comments/${id}`, send('DELETE'), readComment),
    like: (id: string, liked: boolean) => call<LikeResponse>(`/api/comments/${id}/like`, send(liked ? 'PUT' : 'DELETE'), checked(isLikeResponse)),
    report: (id: string, report: ReportRequest) => call<void>(`/api/comments/${id}/report`, send('POST', report), null, 'error.reportFailed'),
    /** A moderator's action on one comment (remove, restore, pin, approve…). */
    /** `note`: featuring (`pin`) as an editors' pick, with its one-line note. */
    moderateComment: (id: string, action: string, body?: { note: string }) => call<void>(`/api/comments/${id}/${action}`, send('POST', body), null),
    lockThread: (slug: string, locked: boolean) => call<void>(`/api/threads/${slug}/${locked ? 'lock' : 'unlock'}`, send('POST'), null),
    threadSettings: (slug: string, settings: { slowModeSeconds?: number; preModeration?: boolean; qa?: boolean; closesAt?: string | null }) => call<void>(`/api/threads/${slug}`, send('PATCH', settings), null),
    ban: (ban: { guestId: string; reason: string; until?: string; addressRange?: true | string }) => call<void>('/api/bans', send('POST', ban), null),
    login: (username: string, password: string) => call<void>('/api/auth/login', send('POST', { username, password }), null),
    logout: () => call<void>('/api/auth/logout', send('POST'), null),
    saveBannedWords: (words: string[]) =>
      call<string[]>('/api/moderation/banned-words', send('PUT', { words }), (json) => (isWordList(json) ? json.words : undefined), 'admin.notSaved'),
    /** Admins: the site's comment policy and trust settings (`PUT /api/settings`). */
    saveSiteSettings: (settings: Partial<SiteSettings>) =>
      call<SiteSettings>('/api/settings', send('PUT', settings), (json) => (json as { settings?: SiteSettings } | null)?.settings, 'admin.notSaved'),
    removeUser: (username: string) => call<void>(`/api/users/${encodeURIComponent(username)}`, send('DELETE'), null),
    /** Admins: send a dead mail again (docs/email.md). */
    retryMail: (id: string) => call<void>(`/api/admin/mail/${encodeURIComponent(id)}/retry`, send('POST'), null),
  };
}

function isWordList(json: unknown): json is { words: string[] } {
  const words = (json as { words?: unknown } | null)?.words;
  return Array.isArray(words) && words.every((w) => typeof w === 'string');
}

export type ServerApi = ReturnType<typeof createServerApi>;

/** The pages' API, on the page's own origin (the session and guest cookies go along). */
export const serverApi: ServerApi = createServerApi((url, init) => fetch(url, init));
