import { sql, type Transaction } from 'kysely';
import { mentionsFromJson, mentionsToJson } from '../domain/mentions';
import { rewriteComments, type ThreadChange } from './commentRewrites';
import { startsWithPattern } from './mentionStore';
import type { Database } from './schema';

/**
 * A person erased (personWrites.erasePerson) leaves the mentions of other people's comments: their
 * id and name go from each list (the text, which is its author's, stays as written, no longer a
 * link), each as a `comment.updated` event so open pages and cached ones drop the link too.
 */
export async function forgetMentionsOf(trx: Transaction<Database>, at: string, personId: string): Promise<ThreadChange[]> {
  // Stored as JSON.stringify writes it (lib/domain/mentions.ts mentionsToJson): `{"id":"<id>",…`.
  const pattern = `%${startsWithPattern(JSON.stringify({ id: personId }).slice(1, -1))}`;
  const rows = await trx.selectFrom('comments').select(['id', 'thread_id', 'mentions']).where(sql<boolean>`mentions like ${pattern} escape '\\'`).execute();
  const changes: ThreadChange[] = [];
  for (const row of rows) {
    let mentions;
    try {
      mentions = mentionsFromJson(row.mentions);
    } catch {
      continue;
    }
    if (!mentions?.some((m) => m.id === personId)) continue;
    const kept = mentions.filter((m) => m.id !== personId);
    changes.push(...(await rewriteComments(trx, at, [row], { mentions: mentionsToJson(kept) })));
  }
  return changes;
}
