import type { PersonPage, PersonNoteView } from '../contract/people';
import { AppError } from '../domain/errors';
import type { Badge } from '../domain/identity';
import type { User } from '../store/accountStore';
import type { Store } from '../store/store';
import type { BadgeDirectory } from './badgeDirectory';
import { toCommentView } from './commentView';
import { commentHtml } from './htmlCache';

/** Comments per page of a person's page, and the most one page may hold. */
export const PERSON_COMMENTS_PER_PAGE = 20;
/** Reports, actions and notes shown: the latest. */
const LATEST = 100;

export interface PersonService {
  /** What moderators read about a person: a guest or an account (docs/api.md, "A person's page"). */
  page(request: { personId: string; actor: User; before?: string; limit?: number }): Promise<PersonPage>;
  addNote(request: { personId: string; text: string; actor: User }): Promise<PersonNoteView>;
  /** Admins only: an account's badges, shown next to its name at once on this node, within seconds on others. */
  setBadges(request: { personId: string; badges: Badge[]; actor: User }): Promise<{ person: { id: string; badges: Badge[] } }>;
}

/** `?before=`: the last comment's time and id, base64url, so the next page starts after it. */
export function commentCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

function readCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, extra] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!createdAt || !id || extra !== undefined || Number.isNaN(Date.parse(createdAt))) throw new AppError('invalid_request', { fields: { before: ['must be a cursor returned as next'] } });
  return { createdAt, id };
}

export function createPersonService(deps: { store: Store; badges: BadgeDirectory; now?: () => number }): PersonService {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  /** The account, or a guest that has left a trace here (a comment, an address); anything else is not found. */
  async function personOf(personId: string): Promise<User | null> {
    const account = await store.accounts.findUserById(personId);
    if (account) return account;
    if (await store.people.knownGuest(personId)) return null;
    throw new AppError('person_not_found');
  }

  return {
    async page({ personId, before, limit = PERSON_COMMENTS_PER_PAGE }) {
      const account = await personOf(personId);
      const at = new Date(now()).toISOString();
      const [comments, counts, reports, actions, bans, notes, methods, sessions, addressKnown, activeBan, standing] = await Promise.all([
        store.people.listComments({ personId, limit: limit + 1, before: before === undefined ? undefined : readCursor(before) }),
        store.people.commentCounts(personId),
        store.people.reportsOn({ personId, limit: LATEST }),
        store.people.auditAbout({ personId, limit: LATEST }),
        store.moderation.listBans({ guestId: personId }),
        store.people.listNotes({ personId, limit: LATEST }),
        account ? store.accounts.listIdentities(personId) : Promise.resolve([]),
        account ? store.people.countSessions({ userId: personId, now: at }) : Promise.resolve(null),
        account ? Promise.resolve(false) : store.people.guestAddress(personId).then((a) => a !== undefined),
        store.moderation.activeBan({ guestId: personId, now: at }),
        // A guest's standing is kept by person id alone (an account's is also on its row).
        store.policy.standing(personId),
      ]);
      const shown = comments.slice(0, limit);
      const last = shown.at(-1);
      return {
        person: {
          id: personId,
          kind: account ? 'account' : 'guest',
          // A guest's name is the one on its latest comment; an account's, its display name.
          displayName: account ? account.displayName : (comments[0]?.comment.authorName ?? null),
          role: account?.role ?? null,
          badges: account?.badges ?? [],
          trusted: account?.trusted ?? standing.trusted,
          shadowBanned: account?.shadowBanned ?? standing.shadowBanned,
          email: account?.email ?? null,
          createdAt: account?.createdAt ?? null,
          removedAt: account?.removedAt ?? null,
          sessions,
          addressKnown,
          // No secrets: which provider, the address it gave, when linked and last used.
          methods: methods.map((m) => ({ method: m.method, provider: m.provider, email: m.email, createdAt: m.createdAt, lastUsedAt: m.lastUsedAt })),
        },
        comments: {
          items: shown.map(({ comment, threadSlug, threadTitle }) => {
            const view = toCommentView(comment, { reveal: true, badges: deps.badges.of });
            // Moderators read what was removed (they may restore it); an author's deletion leaves no text to read.
            const removedText = comment.status === 'removed' ? { body: comment.body, html: commentHtml.render(comment.body, comment.mentions), author: { name: comment.authorName } } : {};
            return { comment: { ...view, ...removedText }, thread: { slug: threadSlug, title: threadTitle } };
          }),
          counts,
          next: comments.length > limit && last?.comment.createdAt ? commentCursor(last.comment.createdAt, last.comment.id) : null,
        },
        reports,
        actions,
        bans: bans.map((b) => ({ ...b, liftedAt: b.liftedAt ?? null, inForce: activeBan?.id === b.id || (b.liftedAt == null && (b.until === null || b.until > at)) })),
        notes,
      };
    },

    async addNote({ personId, text, actor }) {
      await personOf(personId);
      return store.people.addNote({ personId, authorId: actor.id, authorName: actor.displayName, text });
    },

    async setBadges({ personId, badges, actor }) {
      if (actor.role !== 'admin') throw new AppError('forbidden', { message: 'Only admins can do this.' });
      const set = await store.people.setBadges({ userId: personId, badges });
      if (!set) throw new AppError('person_not_found', { message: 'Badges are for accounts: there is no account with this id.' });
      await store.moderation.appendAudit({ actorId: actor.id, actorName: actor.username, action: 'person.badges', target: personId, details: { badges: set } });
      // Shown at once on this node (its cached pages go); other nodes read it within BADGES_REFRESH_MS.
      await deps.badges.refresh();
      return { person: { id: personId, badges: set } };
    },
  };
}
