import type { ProvenIdentity } from '../../domain/identity';
import type { AccountStore, SessionUser, User } from '../../store/accountStore';

/**
 * The session a host's token finds on this browser. Every page view of a signed-in reader brings a
 * new token: when it names the person already signed in here, their session goes on (the page's
 * socket carries it; a new one per view would fill their list of sessions), with the name and
 * badges the token brings applied (accountForIdentity). Null: another person, or none.
 */
export async function sameSsoPerson(accounts: AccountStore, current: SessionUser | null, identity: ProvenIdentity): Promise<User | null> {
  if (!current) return null;
  const { user } = await accounts.accountForIdentity(identity);
  return user.id === current.user.id ? user : null;
}

/** Whether the host's sign-in opened this session: only such a session ends when the host says nobody is signed in. */
export async function openedBySso(accounts: AccountStore, current: SessionUser, now: Date): Promise<boolean> {
  const sessions = await accounts.listSessions({ userId: current.user.id, now: now.toISOString() });
  return sessions.find((s) => s.id === current.sessionId)?.method === 'sso';
}
