import type { User } from '../store/accountStore';
import type { AuthService } from './authService';

/**
 * Who is acting: a person's id (lib/domain/identity.ts) and their account when they are signed in.
 * Every transport finds it the same way: a live session makes the account the author, whatever
 * guest cookie the browser also carries; without one, the guest is.
 */
export interface Author {
  /** The account's id when signed in, else the guest's. */
  personId: string;
  account: User | null;
  /** The session's id (SHA-256 of its token) when signed in. */
  sessionId: string | null;
}

export async function authorOf(auth: AuthService, sessionToken: string | null | undefined, guestId: () => string): Promise<Author> {
  const session = await auth.person(sessionToken);
  if (session) return { personId: session.user.id, account: session.user, sessionId: session.sessionId };
  return { personId: guestId(), account: null, sessionId: null };
}
