import type { Kysely } from 'kysely';
import type { AuditEntry } from './moderationStore';
import { readPersonExport, type PersonExport } from './personExport';
import { createPersonWrites, type ClaimResult, type ErasureResult, type RenameResult } from './personWrites';
import type { Database } from './schema';

export type { PersonExport } from './personExport';
export type { ClaimResult, ErasureResult, RenameResult } from './personWrites';
export type { ThreadChange } from './commentRewrites';

/**
 * A person's own data (issue 16.4): the writes that change everything of theirs at once, across
 * threads, each comment change as a thread event; and the export of all of it.
 */
export interface OwnDataStore {
  /**
   * Gives the account a new display name (refused `display_name_taken` when another account goes
   * by it or a staff member signs in with it) and shows it on all their comments; audited with the
   * old and the new name in the same transaction. Throws `person_not_found`.
   */
  renameAccount(request: { userId: string; displayName: string }): Promise<RenameResult>;
  /** Deletes the person and their personal data; `audit` records the deletion. Throws `person_not_found`. */
  erasePerson(request: { userId: string; audit: AuditEntry }): Promise<ErasureResult>;
  /** Moves a guest's comments, likes, reports and bans to the account. Throws `person_not_found`. */
  claimGuest(request: { guestId: string; userId: string }): Promise<ClaimResult>;
  countGuestComments(guestId: string): Promise<number>;
  /** Everything about the account's person, or undefined when there is none. */
  exportPerson(userId: string): Promise<PersonExport | undefined>;
  /** Sets the session's last_seen_at to now unless it is already after `unlessSeenAfter`. */
  touchSession(request: { id: string; unlessSeenAfter: string }): Promise<void>;
}

export function createOwnDataStore(db: Kysely<Database>, now: () => string): OwnDataStore {
  return { ...createPersonWrites(db, now), exportPerson: (userId) => readPersonExport(db, userId) };
}
