import { PUBLIC_COMMENTS_MAX, PUBLIC_EXCERPT_MAX, type ParticipantsResponse, type PublicPersonResponse } from '../contract/mentions';
import { AppError } from '../domain/errors';
import type { Store } from '../store/store';

/** The `@` suggestion and a person's public page (docs/mentions.md): cheap reads, nothing private. */
export interface MentionService {
  /**
   * The accounts who commented visibly in the thread whose name starts with `q` (its display-name
   * key: case and width folded as names are), most recent first: not shadow-banned, not closed,
   * not the asker. A hidden thread is not found.
   */
  participants(request: { slug: string; q: string; limit: number; askerId: string | null }): Promise<ParticipantsResponse>;
  /** An account's public page: name, badges, member since, their newest visible comments. A guest's id or a closed account: `person_not_found`. */
  publicPerson(id: string): Promise<PublicPersonResponse>;
}

/** What was typed after `@`, folded as display-name keys are (lib/domain/identity.ts), its trailing space kept: `ann ` is not `annabel`. */
export function prefixKey(q: string): string {
  return q.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trimStart();
}

/** A comment's text shortened for a list: whole code points, an ellipsis when cut. */
export function excerpt(text: string, max = PUBLIC_EXCERPT_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const points = [...flat];
  return points.length <= max ? flat : `${points.slice(0, max - 1).join('').trimEnd()}…`;
}

export function createMentionService({ store }: { store: Store }): MentionService {
  return {
    async participants({ slug, q, limit, askerId }) {
      const thread = await store.findThreadRowBySlug(slug);
      if (!thread || thread.hidden) throw new AppError('thread_not_found');
      const participants = await store.mentions.threadParticipants({ threadId: thread.id, prefixKey: prefixKey(q), excludeId: askerId, limit });
      return { participants };
    },

    async publicPerson(id) {
      const person = await store.mentions.publicPerson(id);
      if (!person) throw new AppError('person_not_found');
      const comments = await store.mentions.recentPublicComments({ authorId: id, limit: PUBLIC_COMMENTS_MAX });
      return {
        person,
        comments: comments.map((c) => ({
          id: c.id,
          threadSlug: c.threadSlug,
          threadTitle: c.threadTitle,
          excerpt: excerpt(c.body),
          createdAt: c.createdAt,
          // The comment's own page (its branch), at the comment.
          url: `/articles/${encodeURIComponent(c.threadSlug)}/comments/${encodeURIComponent(c.id)}#c-${c.id}`,
        })),
      };
    },
  };
}
