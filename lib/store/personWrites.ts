import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError } from '../domain/errors';
import { displayNameKey } from '../domain/identity';
import { userFromRow, withoutHash, type User } from './accountStore';
import { dropLikes, rewriteComments, type ThreadChange } from './commentRewrites';
import { forgetMentionsOf } from './mentionScrub';
import { insertAudit, queuedComments, type AuditEntry } from './moderationStore';
import { eraseMailOf } from './mailStore';
import type { Database } from './schema';
import { isUniqueViolation } from './uniqueViolation';

/** What a person's name is replaced with where a record about them outlives them (the audit log). */
export const ERASED_NAME = '[deleted account]';

/** The audit action of a person's own change of name; its details hold the old and the new name. */
export const RENAME_ACTION = 'account.rename';

/** Strings this short are scrubbed only from the audit entries about the person, never from everyone's. */
const SHORTEST_SCRUBBED_EVERYWHERE = 4;

export interface RenameResult {
  user: User;
  oldName: string;
  /** The person's comments that now show the new name. */
  changes: ThreadChange[];
}

export interface ErasureResult {
  /** Their comments, now deleted placeholders, and the likes they gave, taken back. */
  changes: ThreadChange[];
  /** Comments whose place on the moderators' queue changed: theirs left it, others lost reports they made. */
  queueChanged: string[];
  /** The sessions that were live. */
  sessionIds: string[];
}

export interface ClaimResult {
  comments: number;
  likes: number;
  reports: number;
  /** The claimed comments whose shown name changed, and likes folded into the account's own. */
  changes: ThreadChange[];
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Replaces `text` (and its form inside JSON) in one of the audit log's text columns, on the rows `where` picks. */
async function scrubAudit(trx: Transaction<Database>, text: string, column: 'actor_name' | 'target' | 'reason' | 'details', rowIds: readonly string[] | 'all'): Promise<void> {
  for (const form of new Set([text, JSON.stringify(text).slice(1, -1)])) {
    let query = trx
      .updateTable('audit_log')
      .set({ [column]: sql`replace(${sql.ref(column)}, ${form}, ${'[removed]'})` })
      .where(sql<boolean>`${sql.ref(column)} like ${`%${escapeLike(form)}%`} escape '\\'`);
    if (rowIds !== 'all') {
      if (rowIds.length === 0) return;
      query = query.where('id', 'in', rowIds);
    }
    await query.execute();
  }
}

export function createPersonWrites(db: Kysely<Database>, now: () => string) {
  return {
    async renameAccount({ userId, displayName }: { userId: string; displayName: string }): Promise<RenameResult> {
      const key = displayNameKey(displayName);
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('users').selectAll().where('id', '=', userId).where('removed_at', 'is', null).executeTakeFirst();
          if (!row) throw new AppError('person_not_found');
          const oldName = row.display_name ?? row.username;
          if (oldName === displayName) return { user: withoutHash(userFromRow(row)), oldName, changes: [] };
          // Another's display name, or a staff member's sign-in name (lowercase already): nobody may pass for them.
          const clash = await trx
            .selectFrom('users')
            .select('id')
            .where('id', '!=', userId)
            .where((eb) => eb.or([eb('display_key', '=', key), eb('username', '=', key)]))
            .executeTakeFirst();
          if (clash) throw new AppError('display_name_taken', { fields: { displayName: ['is taken'] } });
          const updated = await trx.updateTable('users').set({ display_name: displayName, display_key: key }).where('id', '=', userId).returningAll().executeTakeFirstOrThrow();
          const at = now();
          const comments = await trx
            .selectFrom('comments')
            .select(['id', 'thread_id'])
            .where('author_guest_id', '=', userId)
            .where('author_name', 'is not', null)
            .where('author_name', '!=', displayName)
            .execute();
          const changes = await rewriteComments(trx, at, comments, { author_name: displayName });
          await insertAudit(trx, { actorId: userId, actorName: displayName, action: RENAME_ACTION, target: userId, details: { from: oldName, to: displayName, comments: comments.length } }, at);
          return { user: withoutHash(userFromRow(updated)), oldName, changes };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('display_name_taken', { fields: { displayName: ['is taken'] } });
        throw err;
      }
    },

    /**
     * Deletes a person (docs/security.md, "Deleting an account"): their comments become deleted
     * placeholders (replies keep their place), and every row that holds their personal data goes:
     * the account, its sign-in methods and sessions, their likes, the reports they made, the bans
     * and spam records on them; the audit log keeps its entries with their name and addresses
     * scrubbed. `audit` records the deletion itself (without anything personal) in the same transaction.
     */
    async erasePerson({ userId, audit }: { userId: string; audit: AuditEntry }): Promise<ErasureResult> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
        if (!row) throw new AppError('person_not_found');
        const at = now();
        const identities = await trx.selectFrom('identities').select(['subject', 'email']).where('user_id', '=', userId).execute();
        const renames = await trx.selectFrom('audit_log').select('details').where('action', '=', RENAME_ACTION).where('target', '=', userId).execute();
        const formerNames = renames.flatMap((r) => {
          try {
            const details = JSON.parse(r.details) as { from?: unknown };
            return typeof details.from === 'string' ? [details.from] : [];
          } catch {
            return [];
          }
        });

        const comments = await trx.selectFrom('comments').select(['id', 'thread_id']).where('author_guest_id', '=', userId).execute();
        const queuedOwn = await queuedComments(trx).select('c.id').where('c.author_guest_id', '=', userId).execute();
        const reported = await trx.selectFrom('reports').select('comment_id').where('guest_id', '=', userId).where('resolved_at', 'is', null).execute();
        const changes = await rewriteComments(trx, at, comments, {
          status: 'deleted',
          body: '',
          author_name: null,
          author_guest_id: null,
          client_id: null,
          held_reason: null,
          edited_at: null,
          pinned: 0,
          mentions: null,
        });
        changes.push(...(await forgetMentionsOf(trx, at, userId)));

        const likes = await trx
          .selectFrom('reactions as r')
          .innerJoin('comments as c', 'c.id', 'r.comment_id')
          .select(['r.comment_id', 'c.thread_id'])
          .where('r.guest_id', '=', userId)
          .execute();
        await trx.deleteFrom('reactions').where('guest_id', '=', userId).execute();
        changes.push(...(await dropLikes(trx, at, likes)));

        await trx.deleteFrom('reports').where('guest_id', '=', userId).execute();
        await trx.deleteFrom('bans').where('guest_id', '=', userId).execute();
        await trx.deleteFrom('spam_new_guests').where('guest_id', '=', userId).execute();
        // A delivery still waiting would send their comment's text and name on after they are gone.
        const commentIds = comments.map((c) => c.id);
        for (let i = 0; i < commentIds.length; i += 500) {
          const part = commentIds.slice(i, i + 500);
          await trx.deleteFrom('webhook_deliveries').where((eb) => eb.or(part.map((id) => eb('payload', 'like', `%${id}%`)))).execute();
        }
        const sessions = await trx.selectFrom('sessions').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
        await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
        await trx.deleteFrom('identities').where('user_id', '=', userId).execute();
        // What moderators kept about them (their notes, their standing) is about a person who is gone.
        await trx.deleteFrom('person_notes').where('person_id', '=', userId).execute();
        // Sign-in links sent to their addresses, and codes that would hand a frame their session.
        const addresses = [row.email, ...identities.map((i) => i.email)].filter((e): e is string => e !== null).map((e) => e.toLowerCase());
        if (addresses.length > 0) await trx.deleteFrom('sign_in_links').where('email', 'in', addresses).execute();
        // Their email choices, address proofs, digests and every mail to them, sent or waiting.
        await eraseMailOf(trx, userId, addresses);
        await trx.deleteFrom('frame_codes').where('user_id', '=', userId).execute();
        await trx.deleteFrom('person_standing').where('person_id', '=', userId).execute();
        await trx.deleteFrom('guest_addresses').where('guest_id', '=', userId).execute();
        // Their notices, and others' notices that carry their name; whom they muted and who muted them; their thread watches.
        await trx.deleteFrom('notifications').where((eb) => eb.or([eb('recipient_id', '=', userId), eb('actor_id', '=', userId)])).execute();
        await trx.deleteFrom('person_mutes').where((eb) => eb.or([eb('owner_id', '=', userId), eb('muted_id', '=', userId)])).execute();
        await trx.deleteFrom('thread_watches').where('owner_id', '=', userId).execute();

        // The audit log outlives them: the entries about them lose their name, addresses and former names.
        const personal = [row.display_name, row.username !== row.id ? row.username : null, row.email, ...identities.flatMap((i) => [i.subject, i.email]), ...formerNames].filter(
          (s): s is string => typeof s === 'string' && s.length > 0,
        );
        const about = (
          await trx
            .selectFrom('audit_log')
            .select('id')
            .where((eb) => eb.or([eb('actor_id', '=', userId), eb('target', '=', userId), ...(row.username !== row.id ? [eb('target', '=', row.username)] : [])]))
            .execute()
        ).map((r) => r.id);
        await trx.updateTable('audit_log').set({ details: '{}' }).where('action', '=', RENAME_ACTION).where('target', '=', userId).execute();
        await trx.updateTable('audit_log').set({ actor_name: ERASED_NAME, actor_id: null }).where('actor_id', '=', userId).execute();
        for (const text of new Set(personal)) {
          const rows = text.length >= SHORTEST_SCRUBBED_EVERYWHERE ? 'all' : about;
          for (const column of ['actor_name', 'target', 'reason', 'details'] as const) await scrubAudit(trx, text, column, rows);
        }
        // A moderator's name on what they did to others: the bans they made, the reports they closed.
        const actorKeys = [userId, ...(row.username !== row.id ? [row.username] : [])];
        await trx.updateTable('bans').set({ created_by: ERASED_NAME }).where('created_by', 'in', actorKeys).execute();
        await trx.updateTable('reports').set({ resolved_by: ERASED_NAME }).where('resolved_by', 'in', actorKeys).execute();
        await trx.updateTable('person_notes').set({ author_name: ERASED_NAME, author_id: null }).where('author_id', '=', userId).execute();
        await trx.deleteFrom('users').where('id', '=', userId).execute();
        await insertAudit(trx, audit, at);
        return {
          changes,
          queueChanged: [...new Set([...queuedOwn.map((q) => q.id), ...reported.map((r) => r.comment_id)])],
          sessionIds: sessions.map((s) => s.id),
        };
      });
    },

    /**
     * Moves what a guest did in this browser to the account it signed in to: comments (shown under
     * the account's name from now on), likes (one per comment: liked by both counts once), reports,
     * and bans (claiming cannot launder a guest's ban).
     */
    async claimGuest({ guestId, userId }: { guestId: string; userId: string }): Promise<ClaimResult> {
      return db.transaction().execute(async (trx) => {
        const user = await trx.selectFrom('users').select(['display_name', 'username']).where('id', '=', userId).where('removed_at', 'is', null).executeTakeFirst();
        if (!user) throw new AppError('person_not_found');
        const name = user.display_name ?? user.username;
        const at = now();
        // A retry key the account already used would clash on (author, client id); the claimed comment's is not needed any more.
        await trx
          .updateTable('comments')
          .set({ client_id: null })
          .where('author_guest_id', '=', guestId)
          .where('client_id', 'in', (eb) => eb.selectFrom('comments').select('client_id').where('author_guest_id', '=', userId).where('client_id', 'is not', null))
          .execute();
        const renamed = await trx
          .selectFrom('comments')
          .select(['id', 'thread_id'])
          .where('author_guest_id', '=', guestId)
          .where('author_name', 'is not', null)
          .where('author_name', '!=', name)
          .execute();
        const changes = await rewriteComments(trx, at, renamed, { author_guest_id: userId, author_name: name });
        const moved = await trx.updateTable('comments').set({ author_guest_id: userId }).where('author_guest_id', '=', guestId).returning('id').execute();

        const both = await trx
          .selectFrom('reactions as g')
          .innerJoin('comments as c', 'c.id', 'g.comment_id')
          .select(['g.comment_id', 'c.thread_id'])
          .where('g.guest_id', '=', guestId)
          .where('g.comment_id', 'in', (eb) => eb.selectFrom('reactions').select('comment_id').where('guest_id', '=', userId))
          .execute();
        if (both.length > 0) {
          await trx
            .deleteFrom('reactions')
            .where('guest_id', '=', guestId)
            .where(
              'comment_id',
              'in',
              both.map((b) => b.comment_id),
            )
            .execute();
        }
        changes.push(...(await dropLikes(trx, at, both)));
        const likes = await trx.updateTable('reactions').set({ guest_id: userId }).where('guest_id', '=', guestId).returning('comment_id').execute();

        await trx
          .deleteFrom('reports')
          .where('guest_id', '=', guestId)
          .where('comment_id', 'in', (eb) => eb.selectFrom('reports').select('comment_id').where('guest_id', '=', userId))
          .execute();
        const reports = await trx.updateTable('reports').set({ guest_id: userId }).where('guest_id', '=', guestId).returning('id').execute();
        await trx.updateTable('bans').set({ guest_id: userId }).where('guest_id', '=', guestId).execute();
        // Moderators' notes and word on the guest (trusted, shadow-banned) follow them too, unless the account has its own.
        await trx.updateTable('person_notes').set({ person_id: userId }).where('person_id', '=', guestId).execute();
        const standing = await trx.selectFrom('person_standing').select('person_id').where('person_id', '=', userId).executeTakeFirst();
        if (standing) await trx.deleteFrom('person_standing').where('person_id', '=', guestId).execute();
        else await trx.updateTable('person_standing').set({ person_id: userId }).where('person_id', '=', guestId).execute();
        // Whoever muted the guest has muted the person (claiming cannot launder a mute either); one mute per owner.
        await trx
          .deleteFrom('person_mutes')
          .where('muted_id', '=', guestId)
          .where('owner_id', 'in', (eb) => eb.selectFrom('person_mutes').select('owner_id').where('muted_id', '=', userId))
          .execute();
        await trx.updateTable('person_mutes').set({ muted_id: userId }).where('muted_id', '=', guestId).execute();
        // Their notices to others are the account's now, under its name, as their comments are.
        await trx.updateTable('notifications').set({ actor_id: userId, actor_name: name }).where('actor_id', '=', guestId).execute();

        const claimed = { comments: renamed.length + moved.length, likes: likes.length + both.length, reports: reports.length };
        await insertAudit(trx, { actorId: userId, actorName: name, action: 'account.claim_guest', target: userId, details: claimed }, at);
        return { ...claimed, changes };
      });
    },

    /** How many comments, visible or held, the guest wrote (what a claim would move). */
    async countGuestComments(guestId: string): Promise<number> {
      const row = await db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('author_guest_id', '=', guestId)
        .where('status', 'in', ['visible', 'pending'])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Marks the session seen now, unless it was seen after `unlessSeenAfter` (so at most one write per interval). */
    async touchSession({ id, unlessSeenAfter }: { id: string; unlessSeenAfter: string }): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: now() })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', unlessSeenAfter)]))
        .execute();
    },
  };
}
