import { createHash } from 'node:crypto';
import { readOwnCookie, STAFF_COOKIE } from '../../lib/domain/cookieNames';
import { getServices } from '../../lib/services/registry';
import type { User } from '../../lib/store/accountStore';

/**
 * Who is asking, from a request's headers. Free of Next.js's request APIs: the app router's pages
 * pass `headers()` (./viewer.ts), the reader pages (app/readerPages, a pages route) the request's own.
 */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The signed-in moderator or admin, checked against the store (a revoked session is nobody). */
export async function staffOf(request: HeaderReader): Promise<User | null> {
  // The server's own rule (lib/domain/cookieNames.ts): the __Host- cookie wins over a plain one a sibling host planted.
  const token = readOwnCookie(request.get('cookie'), STAFF_COOKIE).value;
  return (await getServices().auth.authenticate(token))?.user ?? null;
}

/** The signed-in person of any role (the bell in the header), checked against the store. */
export async function personOf(request: HeaderReader): Promise<User | null> {
  const token = readOwnCookie(request.get('cookie'), STAFF_COOKIE).value;
  return (await getServices().auth.person(token))?.user ?? null;
}

/** A query parameter's first value (`?a=1&a=2` is `1`). */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The comment boxes' idempotency keys' seed in a page's HTML: the same for every reader of one thread
 * version (the page is shared), and another for the next version, which a stored post makes. What it
 * guards is a no-JavaScript form sent twice (the server keeps one comment per guest and key); a live page
 * takes a random seed of its own once it runs (useLiveThread), so two open pages never share keys.
 */
export function clientIdSeed(slug: string, seq: number): string {
  return createHash('sha256').update(`${slug}\u0000${seq}`).digest('base64url').slice(0, 16);
}
