import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Whether a person is silenced at `at`: shadow-banned (person_standing is where a person's standing
 * lives; an account's row mirrors it) or under a ban in force. Nothing such a person does tells anyone.
 */
export function silenced(personId: Expression<string | null>, at: string | RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(exists (select 1 from person_standing ps where ps.person_id = ${personId} and ps.shadow_banned = 1)
    or exists (select 1 from bans b where b.guest_id = ${personId} and b.lifted_at is null and (b.until is null or b.until > ${at})))`;
}

/** The notice `n`'s recipient blocked its thread. */
export const recipientBlocksThread = sql<SqlBool>`exists (select 1 from thread_watches tw where tw.owner_id = n.recipient_id and tw.thread_id = n.thread_id and tw.mode = 'block')`;

/** The notice `n`'s recipient muted its actor. */
export const recipientMutesActor = sql<SqlBool>`exists (select 1 from person_mutes pm where pm.owner_id = n.recipient_id and pm.muted_id = n.actor_id)`;

/**
 * Whether a kept notice is still worth telling, now: the one rule the bell's list and count and the mail
 * (lib/store/mailBatches.ts) ask alike, so a notice the bell no longer shows is never mailed, and the
 * other way round. What the notifier judged when it kept the notice (lib/services/notifications/rules.ts)
 * may have changed since:
 * - its thread is hidden, gone, or the recipient blocked it;
 * - a reply or mention: its comment is no longer visible, the recipient has since muted its author, or the
 *   author is now banned or shadow-banned;
 * - a moderator's decision (`standing`, for mail): it no longer stands (approved and visible, held and pending,
 *   removed and removed or deleted), as rules.ts commentStillAsTold; (`told`, the bell) it stays listed as the
 *   record of what was decided. Never a "held" on a comment held because its author is shadow-banned.
 * The query must name the notice `n`, its comment `c` and its thread `t` (left-joined rows may be missing: not worth it).
 */
export function noticeStillTrue(at: string, decisions: 'told' | 'standing'): RawBuilder<SqlBool> {
  // The bell keeps a decision as a record of what was decided (held, then approved: both listed); a mail
  // tells only what still stands when it leaves (held and approved within one batch: only "approved").
  const decision =
    decisions === 'told'
      ? sql`coalesce(c.held_reason, '') <> 'shadow_banned' or n.decision <> 'held'`
      : sql`case
          when n.decision = 'held' then c.status = 'pending' and coalesce(c.held_reason, '') <> 'shadow_banned'
          when n.decision = 'approved' then c.status = 'visible'
          else c.status in ('removed', 'deleted') end`;
  return sql<SqlBool>`(c.id is not null and t.id is not null and t.hidden = 0
    and not ${recipientBlocksThread}
    and (case
      when n.kind = 'moderation' then (${decision})
      else c.status = 'visible'
        and not ${recipientMutesActor}
        and not ${silenced(sql.ref('n.actor_id'), at)}
    end))`;
}
