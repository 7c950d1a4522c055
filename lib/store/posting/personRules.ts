import { sql, type RawBuilder } from 'kysely';
import { SITE_SETTING_KEYS } from '../../domain/commentPolicy';
import type { RuleSql } from './rules';

/**
 * Who may post and whose posts wait (lib/domain/commentPolicy.ts), as SQL over the thread's row and
 * the author's person id: read in the statement that takes the seq, so an admin's or a moderator's
 * change made on any node applies to the very next post, on every transport.
 */

/** A site setting an admin stored (site_settings, migration 0020), else the environment's default (a parameter). */
function setting(key: string, fallback: unknown, type: 'text' | 'integer'): RawBuilder<unknown> {
  const stored = type === 'text' ? sql`value` : sql`cast(value as integer)`;
  return sql`coalesce((select ${stored} from site_settings where key = ${sql.lit(key)}), cast(${fallback} as ${sql.raw(type)}))`;
}

/** The thread's own policy, else the site's. */
export const policyOf = ({ p }: RuleSql) => sql`coalesce(threads.comment_policy, ${setting(SITE_SETTING_KEYS.commentPolicy, p('defaultPolicy'), 'text')})`;

const isAccount = ({ p }: RuleSql) => sql`cast(${p('account')} as integer) = 1`;
const standing = ({ p }: RuleSql, column: 'trusted' | 'shadow_banned') =>
  sql`exists (select 1 from person_standing where person_id = ${p('authorGuestId')} and ${sql.ref(column)} = 1)`;

/** `accounts`: a guest may not post (account_required). */
export const accountRequired = (q: RuleSql) => sql`(not (${isAccount(q)}) and ${policyOf(q)} = 'accounts')`;

/** Shadow-banned: the comment is stored held, seen by its author and moderators alone. */
export const shadowBanned = (q: RuleSql) => standing(q, 'shadow_banned');

/** `guests-premoderated`: a guest's comment waits, unless moderators trust the guest. */
export const guestReview = (q: RuleSql) => sql`(not (${isAccount(q)}) and ${policyOf(q)} = 'guests-premoderated' and not ${standing(q, 'trusted')})`;

/** A new account: held until this many of its comments are published, unless moderators trust it. */
export const newAccount = (q: RuleSql) => sql`(${isAccount(q)} and not ${standing(q, 'trusted')}
  and (select count(*) from comments where author_guest_id = ${q.p('authorGuestId')} and status = 'visible')
    < ${setting(SITE_SETTING_KEYS.newAccountHold, q.p('defaultNewAccountHold'), 'integer')})`;

/**
 * Often rejected: this many of the person's comments rejected by moderators within the window, and
 * since a moderator last trusted them (trusting starts the count over).
 */
export function oftenRejected(q: RuleSql): RawBuilder<unknown> {
  const { p, dialect } = q;
  const threshold = setting(SITE_SETTING_KEYS.rejections, p('defaultRejections'), 'integer');
  const windowSeconds = sql`(${setting(SITE_SETTING_KEYS.rejectionWindowDays, p('defaultWindowDays'), 'integer')} * 86400)`;
  const windowStart = dialect === 'postgres'
    ? sql`to_char((cast(${p('createdAt')} as timestamptz) - make_interval(secs => ${windowSeconds})) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${p('createdAt')}, '-' || ${windowSeconds} || ' seconds')`;
  const trustedSince = sql`coalesce((select trusted_since from person_standing where person_id = ${p('authorGuestId')}), '')`;
  const since = dialect === 'postgres' ? sql`greatest(${windowStart}, ${trustedSince})` : sql`max(${windowStart}, ${trustedSince})`;
  return sql`(${threshold} > 0 and (select count(*) from audit_log a join comments c on c.id = a.comment_id
    where c.author_guest_id = ${p('authorGuestId')} and a.action = 'comment.reject' and a.at > ${since}) >= ${threshold})`;
}
