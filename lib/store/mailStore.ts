import { sql, type Kysely, type Transaction } from 'kysely';
import { DEFAULT_EMAIL_CHOICES, EMAIL_CHOICES_BY_KIND, EMAIL_KINDS, type EmailChoice, type EmailKind } from '../domain/notifications';
import { newId } from '../domain/ids';
import { queuedComments } from './moderationStore';
import type { Database, MailOutboxTable } from './schema';

/** Where a mail is: waiting (or being sent), sent, or given up (admins see it and may send it again). */
export const MAIL_STATES = ['pending', 'sent', 'dead'] as const;
export type MailState = (typeof MAIL_STATES)[number];

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
  kind: 'reply' | 'mention' | 'moderation';
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

type Db = Kysely<Database> | Transaction<Database>;

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

function parseHeaders(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

function fromRow(row: MailOutboxTable): OutboxMail {
  return {
    id: row.id,
    userId: row.user_id,
    to: row.to_address,
    kind: row.kind,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    headers: parseHeaders(row.headers),
    messageId: row.message_id,
    state: (MAIL_STATES as readonly string[]).includes(row.state) ? (row.state as MailState) : 'dead',
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

async function insertMail(db: Db, mail: NewMail, at: string): Promise<boolean> {
  const result = await db
    .insertInto('mail_outbox')
    .values({
      id: newId(),
      user_id: mail.userId,
      to_address: mail.to,
      kind: mail.kind,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      headers: JSON.stringify(mail.headers),
      message_id: mail.messageId,
      dedupe_key: mail.dedupeKey ?? null,
      state: 'pending',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The person's choice for a notice's kind as SQL: theirs where they made one, else the default (one CASE built from DEFAULT_EMAIL_CHOICES). */
function choiceOf(kindColumn: string, userColumn: string) {
  const defaults = sql.join(
    EMAIL_KINDS.map((kind) => sql`when ${sql.lit(kind)} then ${sql.lit(DEFAULT_EMAIL_CHOICES[kind])}`),
    sql` `,
  );
  return sql<string>`coalesce((select p.choice from notification_preferences p where p.user_id = ${sql.ref(userColumn)} and p.kind = ${sql.ref(kindColumn)}), case ${sql.ref(kindColumn)} ${defaults} else 'never' end)`;
}

/** The actor may no longer be heard: shadow-banned (person_standing or the account's flag) or banned at `at`. */
function actorSilenced(at: string) {
  return sql<boolean>`(n.actor_id is not null and (
    exists (select 1 from person_standing s where s.person_id = n.actor_id and s.shadow_banned = 1)
    or exists (select 1 from users su where su.id = n.actor_id and su.shadow_banned = 1)
    or exists (select 1 from bans b where b.guest_id = n.actor_id and b.lifted_at is null and (b.until is null or b.until > ${at}))))`;
}

/**
 * The decision of a moderation notice still stands: the comment is as the notice says (a shadow-banned
 * person's held comment is never told of: it must stay invisible to them). Others: the comment is visible.
 */
const STILL_SO = sql<boolean>`(case
  when n.kind = 'moderation' and n.decision = 'held' then c.status = 'pending' and coalesce(c.held_reason, '') != 'shadow_banned'
  when n.kind = 'moderation' and n.decision = 'approved' then c.status = 'visible'
  when n.kind = 'moderation' and n.decision = 'removed' then c.status = 'removed'
  else c.status = 'visible' end)`;

async function recipientOf(db: Db, userId: string): Promise<(Recipient & { removed: boolean }) | undefined> {
  const row = await db.selectFrom('users').select(['id', 'display_name', 'username', 'email', 'email_verified_at', 'removed_at']).where('id', '=', userId).executeTakeFirst();
  if (!row) return undefined;
  return { userId: row.id, displayName: row.display_name ?? row.username, email: row.email && row.email_verified_at ? row.email : null, removed: row.removed_at !== null };
}

/** The person's waiting notices whose choice is (or is not) `daily`, with what a mail needs and whether each is still worth telling. */
async function waitingNotices(db: Db, userId: string, at: string, daily: boolean) {
  const rows = await db
    .selectFrom('notifications as n')
    .leftJoin('comments as c', 'c.id', 'n.comment_id')
    .leftJoin('threads as t', 't.id', 'n.thread_id')
    .select([
      'n.id',
      'n.kind',
      'n.comment_id',
      'n.actor_name',
      'n.decision',
      'n.reason',
      'n.created_at',
      'c.body',
      'c.status',
      't.slug',
      't.title',
      choiceOf('n.kind', 'n.recipient_id').as('choice'),
      sql<number>`case when c.id is not null and t.id is not null and t.hidden = 0 and ${STILL_SO} and not ${actorSilenced(at)} then 1 else 0 end`.as('worth'),
    ])
    .where('n.recipient_id', '=', userId)
    .where('n.mailed_at', 'is', null)
    .where(choiceOf('n.kind', 'n.recipient_id'), daily ? '=' : '!=', 'daily')
    .orderBy('n.created_at')
    .orderBy('n.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    choice: r.choice,
    worth: Number(r.worth) === 1 && r.kind !== 'followed',
    notice: {
      id: r.id,
      kind: r.kind as MailableNotice['kind'],
      commentId: r.comment_id,
      threadSlug: r.slug ?? '',
      threadTitle: r.title ?? '',
      actorName: r.actor_name,
      decision: r.decision || null,
      reason: r.reason,
      body: r.status === 'visible' ? r.body : null,
      createdAt: r.created_at,
    } satisfies MailableNotice,
  }));
}

/** Marks these notices mailed, only those nobody marked before: the ones this transaction took. */
async function takeNotices(trx: Transaction<Database>, ids: readonly string[], at: string): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const rows = await trx
      .updateTable('notifications')
      .set({ mailed_at: at })
      .where('id', 'in', ids.slice(i, i + 200))
      .where('mailed_at', 'is', null)
      .returning('id')
      .execute();
    for (const r of rows) taken.add(r.id);
  }
  return taken;
}

/** Times come from the caller (the mail jobs' clock), so tests can move it. */
export function createMailStore(db: Kysely<Database>): MailStore {
  return {
    enqueue: (mail, at) => insertMail(db, mail, at),

    async claimDue({ now: at, leaseUntil, limit }) {
      const due = await db
        .selectFrom('mail_outbox')
        .select('id')
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', at)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      const claimed: OutboxMail[] = [];
      for (const { id } of due) {
        const row = await db
          .updateTable('mail_outbox')
          .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
          .where('id', '=', id)
          .where('state', '=', 'pending')
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
          .returningAll()
          .executeTakeFirst();
        // Another node took it between the look and the update.
        if (row) claimed.push(fromRow(row));
      }
      return claimed;
    },

    async markSent({ id, at }) {
      await db
        .updateTable('mail_outbox')
        .set({ state: 'sent', finished_at: at, lease_until: null, last_error: null, subject: '', text_body: '', html_body: '', headers: '{}' })
        .where('id', '=', id)
        .execute();
    },

    async markFailed({ id, at, error, retryAt }) {
      await db
        .updateTable('mail_outbox')
        .set(retryAt === null ? { state: 'dead', finished_at: at, lease_until: null, last_error: error } : { next_attempt_at: retryAt, lease_until: null, last_error: error })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .execute();
    },

    async nextDueAt() {
      const row = await db.selectFrom('mail_outbox').select('next_attempt_at').where('state', '=', 'pending').orderBy('next_attempt_at').limit(1).executeTakeFirst();
      return row?.next_attempt_at ?? null;
    },

    async list({ state, limit }) {
      const rows = await db.selectFrom('mail_outbox').selectAll().where('state', '=', state).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(fromRow);
    },

    async retry({ id, at }) {
      const result = await db
        .updateTable('mail_outbox')
        .set({ state: 'pending', attempts: 0, next_attempt_at: at, lease_until: null, finished_at: null })
        .where('id', '=', id)
        .where('state', '=', 'dead')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async sweepSent({ before }) {
      const result = await db.deleteFrom('mail_outbox').where('state', '=', 'sent').where('finished_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

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

    async dueNoticeRecipients({ before, limit }) {
      const rows = await db
        .selectFrom('notifications as n')
        .select('n.recipient_id')
        .where('n.mailed_at', 'is', null)
        .where(choiceOf('n.kind', 'n.recipient_id'), '!=', 'daily')
        .groupBy('n.recipient_id')
        .having((eb) => eb.fn.min('n.created_at'), '<=', before)
        .orderBy((eb) => eb.fn.min('n.created_at'))
        .limit(limit)
        .execute();
      return rows.map((r) => r.recipient_id);
    },

    async mailNotices({ userId, now: at, compose }) {
      return db.transaction().execute(async (trx) => {
        const recipient = await recipientOf(trx, userId);
        const waiting = await waitingNotices(trx, userId, at, false);
        if (waiting.length === 0) return null;
        const taken = await takeNotices(
          trx,
          waiting.map((w) => w.id),
          at,
        );
        if (!recipient || recipient.removed || recipient.email === null) return null;
        const notices = waiting.filter((w) => taken.has(w.id) && w.worth && w.choice === 'immediate').map((w) => w.notice);
        if (notices.length === 0) return null;
        const mail = compose({ recipient, notices });
        if (mail) await insertMail(trx, mail, at);
        return mail;
      });
    },

    async dueDigestRecipients({ cutoff, limit }) {
      const rows = await db
        .selectFrom('users as u')
        .leftJoin('mail_digests as d', 'd.user_id', 'u.id')
        .select('u.id')
        .where('u.removed_at', 'is', null)
        .where((eb) => eb.or([eb('d.last_sent_at', 'is', null), eb('d.last_sent_at', '<', cutoff)]))
        .where((eb) =>
          eb.or([
            eb.exists(
              eb
                .selectFrom('notifications as n')
                .select(sql`1`.as('one'))
                .whereRef('n.recipient_id', '=', 'u.id')
                .where('n.mailed_at', 'is', null)
                .where(choiceOf('n.kind', 'n.recipient_id'), '=', 'daily'),
            ),
            eb.exists(eb.selectFrom('thread_watches as w').select(sql`1`.as('one')).whereRef('w.owner_id', '=', 'u.id').where('w.mode', '=', 'follow')),
          ]),
        )
        .orderBy('u.id')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    async mailDigest({ userId, now: at, cutoff, firstSince, compose }) {
      return db.transaction().execute(async (trx) => {
        const previous = await trx.selectFrom('mail_digests').select('last_sent_at').where('user_id', '=', userId).executeTakeFirst();
        const claimed = await trx
          .insertInto('mail_digests')
          .values({ user_id: userId, last_sent_at: at })
          .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_sent_at: at }).where('mail_digests.last_sent_at', '<', cutoff))
          .returning('user_id')
          .executeTakeFirst();
        // Another node sent today's (or is sending it now, and we waited for it).
        if (!claimed) return null;
        const since = previous?.last_sent_at ?? firstSince;
        const recipient = await recipientOf(trx, userId);
        const waiting = await waitingNotices(trx, userId, at, true);
        const taken = await takeNotices(
          trx,
          waiting.map((w) => w.id),
          at,
        );
        if (!recipient || recipient.removed || recipient.email === null) return null;
        const notices = waiting.filter((w) => taken.has(w.id) && w.worth).map((w) => w.notice);
        const followedRows = await trx
          .selectFrom('thread_watches as w')
          .innerJoin('threads as t', 't.id', 'w.thread_id')
          .innerJoin('comments as c', 'c.thread_id', 't.id')
          .select(['c.id', 'c.author_name', 'c.body', 'c.created_at', 't.slug', 't.title'])
          .where('w.owner_id', '=', userId)
          .where('w.mode', '=', 'follow')
          .where('t.hidden', '=', 0)
          .where('c.parent_id', 'is', null)
          .where('c.status', '=', 'visible')
          .where('c.created_at', '>', since)
          .where('c.created_at', '<=', at)
          .whereRef('c.created_at', '>=', 'w.created_at')
          // Their own comments are no news to them.
          .where((eb) => eb.or([eb('c.author_guest_id', 'is', null), eb('c.author_guest_id', '!=', userId)]))
          .where((eb) =>
            eb.not(
              eb.or([
                eb.exists(eb.selectFrom('person_standing as s').select(sql`1`.as('one')).whereRef('s.person_id', '=', 'c.author_guest_id').where('s.shadow_banned', '=', 1)),
                eb.exists(eb.selectFrom('person_mutes as m').select(sql`1`.as('one')).where('m.owner_id', '=', userId).whereRef('m.muted_id', '=', 'c.author_guest_id')),
              ]),
            ),
          )
          .orderBy('t.title')
          .orderBy('c.created_at')
          .limit(200)
          .execute();
        const followed = followedRows.map((r) => ({ commentId: r.id, threadSlug: r.slug, threadTitle: r.title, authorName: r.author_name ?? '', body: r.body, createdAt: r.created_at ?? at }));
        if (notices.length === 0 && followed.length === 0) return null;
        const mail = compose({ recipient, notices, followed, since });
        if (mail) await insertMail(trx, mail, at);
        return mail;
      });
    },

    async oldestQueued() {
      const queuedAt = sql<string>`coalesce(r.last_report, c.edited_at, c.created_at)`;
      const row = await queuedComments(db).select(['c.id', queuedAt.as('queued_at')]).orderBy(queuedAt).limit(1).executeTakeFirst();
      return row ? { commentId: row.id, queuedAt: row.queued_at } : undefined;
    },

    async queueAlertRecipients() {
      const rows = await db
        .selectFrom('users as u')
        .select(['u.id', 'u.display_name', 'u.username', 'u.email'])
        .where('u.role', 'in', ['moderator', 'admin'])
        .where('u.removed_at', 'is', null)
        .where('u.email', 'is not', null)
        .where('u.email_verified_at', 'is not', null)
        .where(sql<string>`coalesce((select p.choice from notification_preferences p where p.user_id = u.id and p.kind = 'queue'), ${sql.lit(DEFAULT_EMAIL_CHOICES.queue)})`, '=', 'immediate')
        .orderBy('u.id')
        .execute();
      return rows.map((r) => ({ userId: r.id, displayName: r.display_name ?? r.username, email: r.email }));
    },
  };
}

class TakenAddress extends Error {}
