import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { readOwnCookie, STAFF_COOKIE } from '../../lib/domain/cookieNames';
import { formToken, GUEST_COOKIE, GUEST_ID_HEADER, verifyGuestToken } from '../../lib/domain/guestToken';
import { getServices } from '../../lib/services/registry';
import { clientComments } from './clientComments';
import type { ThreadPage } from '../../lib/services';
import type { User } from '../../lib/store/accountStore';

/**
 * The reader's guest id, so the page can mark their own comments: the one the
 * custom server vouches for (freshly minted on a first visit, whose cookie the
 * browser does not have yet), else the signed session cookie's.
 */
export async function viewerGuestId(): Promise<string | null> {
  const request = await headers();
  const fromServer = request.get(GUEST_ID_HEADER);
  if (fromServer) return fromServer;
  return verifyGuestToken(readOwnCookie(request.get('cookie'), GUEST_COOKIE).value, getServices().sessionSecret);
}

/** A fresh seed per page view for the comment boxes' idempotency keys. */
export function clientIdSeed(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}

/** The query of a page request, as Next.js hands it to a page. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** What a page under a dynamic route receives: its route parameters (`P`) and its query. */
export interface RoutePageProps<P extends Record<string, string>> {
  params: Promise<P>;
  searchParams: SearchParams;
}

/** The signed-in moderator or admin; anyone else is sent to sign in and brought back to `path`. */
export async function requireStaff(path: string): Promise<User> {
  const staff = await viewerStaff();
  if (!staff) redirect(`/login?next=${encodeURIComponent(path)}`);
  return staff;
}

export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The signed-in moderator or admin, checked against the store (a revoked session is nobody). */
export async function viewerStaff(): Promise<User | null> {
  // The server's own rule (lib/domain/cookieNames.ts): the __Host- cookie wins over a plain one a sibling host planted.
  const token = readOwnCookie((await headers()).get('cookie'), STAFF_COOKIE).value;
  return (await getServices().auth.authenticate(token))?.user ?? null;
}

/** What a page may hand to the browser about the signed-in moderator. */
function staffProps(user: User | null): { username: string; role: User['role'] } | null {
  return user ? { username: user.username, role: user.role } : null;
}

/** What both the article page and a branch page hand to the live thread about the thread and its reader. */
export async function liveThreadBase(page: ThreadPage, options: { afterCursor?: boolean } = {}) {
  const { thread } = page;
  return {
    slug: thread.slug,
    seq: thread.seq,
    locked: thread.locked,
    slowModeSeconds: thread.slowModeSeconds,
    preModeration: thread.preModeration,
    hidden: thread.hidden,
    staff: staffProps(await viewerStaff()),
    comments: clientComments(page),
    nextCursor: page.nextCursor,
    total: thread.commentCount,
    clientIdSeed: clientIdSeed(),
    formToken: await viewerFormToken(),
    // A page that holds the whole thread already marks every comment of the reader's (`mine`): no read needed.
    ownIds: page.nextCursor === null && page.root === null && !options.afterCursor ? [] : await getServices().threads.ownCommentIds({ slug: thread.slug, guestId: await viewerGuestId() }),
  };
}

/** The no-JavaScript comment form's anti-forgery token for this reader (empty without a guest: such a post is refused). */
async function viewerFormToken(): Promise<string> {
  const guestId = await viewerGuestId();
  return guestId ? formToken(guestId, getServices().sessionSecret) : '';
}
