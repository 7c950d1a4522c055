import type { Kysely, Transaction } from 'kysely';
import { EMAIL_CHOICES_BY_KIND, EMAIL_KINDS, type EmailChoice, type EmailKind } from '../domain/notifications';
import { createMailBatches } from './mailBatches';
import { createMailOutbox, type MailState } from './mailOutbox';
import type { Database } from './schema';

export { MAIL_STATES, type MailState } from './mailOutbox';

/** What a mail is about: a kind a person chooses for, or the site's own mail to them. */
export type MailKind = EmailKind | 'verify' | 'digest' | 'notices';

/** A mail to queue: what the deliverer sends, the same on every attempt. */
export interface NewMail {
  userId: string | null;
  to: string;
  kind: MailKind;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** The Message-ID every attempt carries (without angle brackets): a receiver that got it already drops the repeat. */
  messageId: string;
  /** Queuing a second mail with the same key is a no-op (the queue's alert, a day's digest). */
  dedupeKey?: string | null;
}

export interface OutboxMail {
  id: string;
  userId: string | null;
  to: string;
  kind: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  messageId: string;
  state: MailState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** One notice as a mail tells it: what happened, where, and (while it is visible) a short excerpt of the comment. */
export interface MailableNotice {
  id: string;
  kind: 'reply' | 'mention' | 'moderation' | 'featured';
  commentId: string;
  threadSlug: string;
  threadTitle: string;
  actorName: string | null;
  decision: string | null;
  reason: string | null;
  /** The comment's text while it is visible; null otherwise. */
  body: string | null;
  createdAt: string;
}

/** A person and the address their mail goes to (verified, else null). */
export interface Recipient {
  userId: string;
  displayName: string;
  email: string | null;
}

/** A new top-level comment in a thread the person follows (their digest). */
export interface FollowedComment {
  commentId: string;
  threadSlug: string;
  threadTitle: string;
  authorName: string;
  body: string;
  createdAt: string;
}

/** What a batch or a digest puts in one mail; the composer turns it into a mail, or null to send nothing. */
export type Compose<T> = (content: T) => NewMail | null;

export interface MailStore {
  /** Queues a mail; false when one with its `dedupeKey` is there already (nothing is queued). */
  enqueue(mail: NewMail, at: string): Promise<boolean>;
  /** Takes up to `limit` due mails for this node, each leased until `leaseUntil` and its attempt counted (exclusive across nodes). */
  claimDue(request: { now: string; leaseUntil: string; limit: number }): Promise<OutboxMail[]>;
  /** Sent: never sent again. Its text is dropped (the outbox is no archive of what people were told). */
  markSent(request: { id: string; at: string }): Promise<void>;
  /** A failed attempt: try again at `retryAt`, or give up (`retryAt` null: dead, for admins to see). */
  markFailed(request: { id: string; at: string; error: string; retryAt: string | null }): Promise<void>;
  nextDueAt(): Promise<string | null>;
  /** Mails in a state, newest first. */
  list(request: { state: MailState; limit: number }): Promise<OutboxMail[]>;
  /** A dead mail goes back to the queue, due at once, its attempts counted afresh; false if it is not dead (or not there). */
  retry(request: { id: string; at: string }): Promise<boolean>;
  /** Drops sent mails finished before `before` (their dedupe keys with them). */
  sweepSent(request: { before: string }): Promise<number>;

  /** The person's choices where they made one. */
  choices(userId: string): Promise<Partial<Record<EmailKind, EmailChoice>>>;
  setChoices(request: { userId: string; choices: Partial<Record<EmailKind, EmailChoice>>; at: string }): Promise<void>;

  /** Keeps a new address's proof (by its token's hash), replacing the person's earlier ones. */
  createVerification(request: { tokenHash: string; userId: string; email: string; createdAt: string; expiresAt: string }): Promise<void>;
  /**
   * Uses the proof once and makes its address the account's, verified, in one transaction. Refused
   * when unknown, used, expired, the account is gone, or another account has the address verified.
   */
  /** The address waiting for its proof (the newest request, unused and unexpired at `now`), or null. */
  pendingVerification(request: { userId: string; now: string }): Promise<string | null>;
  useVerification(request: { tokenHash: string; now: string }): Promise<{ ok: true; userId: string; email: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'taken' }>;

  /** People with notices waiting whose choice for the kind is not `daily`, and whose oldest such notice was made at or before `before`. */
  dueNoticeRecipients(request: { before: string; limit: number }): Promise<string[]>;
  /**
   * One person's waiting notices (not `daily`), in ONE transaction: every one is marked mailed
   * (conditionally on `mailed_at IS NULL`, so two nodes never take the same notice) and the ones
   * still worth a mail (their choice `immediate`, the comment's state as the notice says, the actor
   * not shadow-banned or banned, a verified address) are handed to `compose`, whose mail is queued
   * in the same transaction. Resolves with the mail queued, or null.
   */
  mailNotices(request: { userId: string; now: string; compose: Compose<{ recipient: Recipient; notices: MailableNotice[] }> }): Promise<NewMail | null>;

  /** People whose digest is due (none since `cutoff`) and who may have something for it: `daily` notices, or followed threads. */
  dueDigestRecipients(request: { cutoff: string; limit: number }): Promise<string[]>;
  /**
   * One person's digest, in ONE transaction: claims the day (mail_digests, conditionally, so two
   * nodes never both send it), marks the `daily` notices mailed, reads the followed threads' new
   * top-level comments since the last digest, and queues `compose`'s mail. Null when another node
   * claimed it, or there was nothing to send.
   */
  mailDigest(request: {
    userId: string;
    now: string;
    cutoff: string;
    /** Where a first digest starts (no digest before): this long before `now`. */
    firstSince: string;
    compose: Compose<{ recipient: Recipient; notices: MailableNotice[]; followed: FollowedComment[]; since: string }>;
  }): Promise<NewMail | null>;

  /** The queue's item waiting longest, and since when (held: posted or edited; reported: the latest report). */
  oldestQueued(): Promise<{ commentId: string; queuedAt: string } | undefined>;
  /** Moderators and admins (not removed) whose choice for `queue` is `immediate`, with a verified address. */
  queueAlertRecipients(): Promise<Recipient[]>;
}

/** Per person, every mail row they are the subject of; called by the account's deletion in its transaction (lib/store/personWrites.ts). */
export async function eraseMailOf(trx: Transaction<Database>, userId: string, addresses: readonly string[]): Promise<void> {
  await trx.deleteFrom('notification_preferences').where('user_id', '=', userId).execute();
  await trx.deleteFrom('mail_digests').where('user_id', '=', userId).execute();
  await trx.deleteFrom('email_verifications').where('user_id', '=', userId).execute();
  await trx
    .deleteFrom('mail_outbox')
    .where((eb) => eb.or([eb('user_id', '=', userId), ...(addresses.length > 0 ? [eb('to_address', 'in', addresses)] : [])]))
    .execute();
}

/** Times come from the caller (the mail jobs' clock), so tests can move it. */
export function createMailStore(db: Kysely<Database>): MailStore {
  return {
    ...createMailOutbox(db),
    ...createMailBatches(db),

    async choices(userId) {
      const rows = await db.selectFrom('notification_preferences').select(['kind', 'choice']).where('user_id', '=', userId).execute();
      const choices: Partial<Record<EmailKind, EmailChoice>> = {};
      for (const { kind, choice } of rows) {
        // A stored row that no longer means anything (a kind or choice dropped from the lists) is ignored.
        if ((EMAIL_KINDS as readonly string[]).includes(kind) && EMAIL_CHOICES_BY_KIND[kind as EmailKind].includes(choice as EmailChoice)) choices[kind as EmailKind] = choice as EmailChoice;
      }
      return choices;
    },

    async setChoices({ userId, choices, at }) {
      const rows = Object.entries(choices).map(([kind, choice]) => ({ user_id: userId, kind, choice: choice!, updated_at: at }));
      if (rows.length === 0) return;
      await db
        .insertInto('notification_preferences')
        .values(rows)
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet((eb) => ({ choice: eb.ref('excluded.choice'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
    },

    async createVerification({ tokenHash, userId, email, createdAt, expiresAt }) {
      await db.transaction().execute(async (trx) => {
        // The newest request is the one that counts: an older link names an address they changed their mind about.
        await trx.deleteFrom('email_verifications').where('user_id', '=', userId).execute();
        await trx.insertInto('email_verifications').values({ token_hash: tokenHash, user_id: userId, email, created_at: createdAt, expires_at: expiresAt, used_at: null }).execute();
      });
    },

    async pendingVerification({ userId, now: at }) {
      const row = await db.selectFrom('email_verifications').select('email').where('user_id', '=', userId).where('used_at', 'is', null).where('expires_at', '>', at).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      return row?.email ?? null;
    },

    async useVerification({ tokenHash, now: at }) {
      return db.transaction().execute(async (trx) => {
        const used = await trx
          .updateTable('email_verifications')
          .set({ used_at: at })
          .where('token_hash', '=', tokenHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', at)
          .returning(['user_id', 'email'])
          .executeTakeFirst();
        if (!used) {
          const row = await trx.selectFrom('email_verifications').select(['used_at', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
          if (!row) return { ok: false, reason: 'unknown' } as const;
          return { ok: false, reason: row.used_at !== null ? 'used' : 'expired' } as const;
        }
        // One verified address, one account: email-link sign-in finds the account by it.
        const taken = await trx.selectFrom('users').select('id').where('email', '=', used.email).where('email_verified_at', 'is not', null).where('id', '!=', used.user_id).executeTakeFirst();
        if (taken) throw new TakenAddress();
        const updated = await trx.updateTable('users').set({ email: used.email, email_verified_at: at }).where('id', '=', used.user_id).where('removed_at', 'is', null).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'unknown' } as const;
        return { ok: true, userId: used.user_id, email: used.email } as const;
      }).catch((err: unknown) => {
        // Thrown to roll the use back: the link stays good for when the other account lets the address go.
        if (err instanceof TakenAddress) return { ok: false, reason: 'taken' } as const;
        throw err;
      });
    },
  };
}

class TakenAddress extends Error {}
