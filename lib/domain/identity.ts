/**
 * People: one account model for commenters, moderators and admins (docs/decisions.md,
 * "People, not cookies"). A person is either a guest (a signed cookie, lib/domain/guestToken.ts)
 * or an account; everything that attaches to a person (their comments, likes, reports, bans,
 * limits) is keyed by the person's id: the guest's id, or the account's id. Both are `newId()`s.
 */

/** The ways to sign in. Each is optional and configured by environment variables (server/config.ts). */
export const SIGN_IN_METHODS = ['password', 'sso', 'email', 'oidc'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** Set by admins (or by the host site's SSO token), shown next to the name and in the API. */
export const BADGES = ['staff', 'journalist', 'expert'] as const;
export type Badge = (typeof BADGES)[number];

/** Commenters post; moderators and admins also moderate (admins manage people and settings). */
export const ACCOUNT_ROLES = ['commenter', 'moderator', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** The roles that open the moderators' desk. */
export const STAFF_ROLES: readonly AccountRole[] = ['moderator', 'admin'];

export function isStaffRole(role: AccountRole): role is 'moderator' | 'admin' {
  return STAFF_ROLES.includes(role);
}

/**
 * What a sign-in method proved about a person, before any account is found or made for it.
 * `provider` + `subject` name the person for good at that provider.
 */
export interface ProvenIdentity {
  method: SignInMethod;
  /** Whose word it is: `sso` (the host site), `email`, `oidc:<provider id>`, `password`. */
  provider: string;
  /** The provider's stable id for the person (the lowercased address for `email`). */
  subject: string;
  email: string | null;
  /** Whether the provider vouches for the address: only a verified address links to an existing account. */
  emailVerified: boolean;
  /** The name the person goes by there: a wish, made unique on this site when taken. */
  name: string | null;
  /** Only the host site's SSO may set badges (it is the newsroom); null leaves an account's badges as they are. */
  badges: Badge[] | null;
}

/** A folded form of a display name: two names that fold alike are one name (unique per site). */
export function displayNameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
