import { createHash } from 'node:crypto';
import { CappedMap } from './cappedMap';

/**
 * A comment author's public key (issue 19, readers' mutes): the same for every comment of one
 * person, on every thread and node, so a reader's page can fold a muted person's comments (a
 * guest's list lives in their browser). A one-way digest of the person's id: a guest's id is
 * never shown to readers (ids are ~62 random bits, lib/domain/ids.ts, so the digest cannot be
 * walked back), and no secret is needed for every node to agree. 72 bits: 12 characters a comment.
 */
const cache = new CappedMap<string, string>(50_000);

export function authorKey(personId: string): string {
  let key = cache.get(personId);
  if (key === undefined) {
    key = createHash('sha256').update(`threadline-author:${personId}`).digest('base64url').slice(0, 12);
    cache.set(personId, key);
  }
  return key;
}
