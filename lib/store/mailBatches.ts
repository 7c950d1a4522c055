import { sql, type Kysely, type Transaction } from 'kysely';
import { DEFAULT_EMAIL_CHOICES, EMAIL_KINDS } from '../domain/notifications';
import { insertMail } from './mailOutbox';
import type { MailableNotice, MailStore, Recipient } from './mailStore';
import { queuedComments } from './moderationStore';
import type { Database } from './schema';
import { noticeStillTrue, silenced } from './noticeStillTrue';

type Db = Kysely<Database> | Transaction<Database>;

/** The person's choice for a notice's kind as SQL: theirs where they made one, else the default (one CASE built from DEFAULT_EMAIL_CHOICES). */
function choiceOf(kindColumn: string, userColumn: string) {
  const defaults = sql.join(
    EMAIL_KINDS.map((kind) => sql`when ${sql.lit(kind)} then ${sql.lit(DEFAULT_EMAIL_CHOICES[kind])}`),
    sql` `,
  );
  return sql<string>`coalesce((select p.choice from notification_preferences p where p.user_id = ${sql.ref(userColumn)} and p.kind = ${sql.ref(kindColumn)}), case ${sql.ref(kindColumn)} ${defaults} else 'never' end)`;
}



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
      sql<number>`case when ${noticeStillTrue(at, 'standing')} then 1 else 0 end`.as('worth'),
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

/**
 * What becomes mail, and when (docs/email.md, "What is sent when"): a person's batch of notices,
 * their daily digest, the queue's alert. Each is taken in ONE transaction with the mail it queues.
 */
export function createMailBatches(db: Kysely<Database>): Pick<MailStore, 'dueNoticeRecipients' | 'mailNotices' | 'dueDigestRecipients' | 'mailDigest' | 'oldestQueued' | 'queueAlertRecipients'> {
  return {
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
                // Nothing by a silenced person, as the notices (noticeStillTrue.ts).
                silenced(sql.ref('c.author_guest_id'), at),
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
