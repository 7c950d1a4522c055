import { plainTextRuns } from './markdown';
import { MAX_MENTION_SIGNS, mentionKeys, mentionSigns, pickMentions, type MentionableAccount, type MentionSign } from './mentionText';
import type { MentionRef } from './types';

export { MAX_MENTION_KEYS, MAX_MENTION_SIGNS, mentionsFromJson, mentionsToJson, type MentionableAccount, type MentionSign } from './mentionText';

/**
 * The `@Name`s of a comment's markdown source (docs/mentions.md): looked for in the text a reader
 * sees as words, never inside a code span, a link, a bare address or an e-mail address (the
 * renderer's own parse says which is which, so what is found is what is rendered as a mention).
 */
export function findMentionSigns(body: string): MentionSign[] {
  if (!body.includes('@') && !body.includes('\uff20') && !body.includes('\ufe6b')) return [];
  const signs: MentionSign[] = [];
  for (const run of plainTextRuns(body)) {
    if (signs.length >= MAX_MENTION_SIGNS) break;
    signs.push(...mentionSigns(run, MAX_MENTION_SIGNS - signs.length));
  }
  return signs;
}

/** What a comment's mentions are resolved against: the accounts whose display-name keys are among `keys`. */
export type FindMentionable = (keys: readonly string[]) => Promise<readonly MentionableAccount[]>;

/**
 * The people a comment names: its signs' names looked up in one query (`find`), the longest name
 * that is an account's at each `@`, distinct people, at most MAX_MENTIONS_PER_COMMENT. A comment
 * without an `@` costs no query.
 */
export async function resolveMentions(body: string, find: FindMentionable): Promise<MentionRef[]> {
  const signs = findMentionSigns(body);
  if (signs.length === 0) return [];
  const keys = mentionKeys(signs);
  return pickMentions(signs, await find(keys));
}
