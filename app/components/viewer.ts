import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { User } from '../../lib/store/accountStore';
import { personOf, staffOf } from './requestViewer';

export { firstParam } from './requestViewer';

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

/** The signed-in moderator or admin of this app-router page's request. */
export async function viewerStaff(): Promise<User | null> {
  return staffOf(await headers());
}

/** The signed-in person (any role) of this app-router page's request. */
export async function viewerPerson(): Promise<User | null> {
  return personOf(await headers());
}
