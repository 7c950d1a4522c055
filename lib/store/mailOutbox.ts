import type { Kysely, Transaction } from 'kysely';
import { newId } from '../domain/ids';
import type { MailStore, NewMail, OutboxMail } from './mailStore';
import type { Database, MailOutboxTable } from './schema';
import { claimLeased } from './leasedClaims';

type Db = Kysely<Database> | Transaction<Database>;

/** Where a mail is: waiting (or being sent), sent, or given up (admins see it and may send it again). */
export const MAIL_STATES = ['pending', 'sent', 'dead'] as const;
export type MailState = (typeof MAIL_STATES)[number];

function parseHeaders(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

export function fromRow(row: MailOutboxTable): OutboxMail {
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

/** Queues a mail (in the caller's transaction, when it has one); false when its dedupe key is taken. */
export async function insertMail(db: Db, mail: NewMail, at: string): Promise<boolean> {
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

/** The outbox: queued, claimed with a lease by one node, sent or failed (docs/email.md, "The outbox"). */
export function createMailOutbox(db: Kysely<Database>): Pick<MailStore, 'enqueue' | 'claimDue' | 'markSent' | 'markFailed' | 'nextDueAt' | 'list' | 'retry' | 'sweepSent'> {
  return {
    enqueue: (mail, at) => insertMail(db, mail, at),

    async claimDue(request) {
      return (await claimLeased(db, 'mail_outbox', request)).map(fromRow);
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
  };
}
