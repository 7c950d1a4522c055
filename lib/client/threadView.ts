import type { Sort } from '../contract/api';
import { EDIT_WINDOW_MS } from '../contract/limits';
import type { ClientComment } from './threadState';
import { isQuestion } from '../domain/questions';

/**
 * Everything about the page around its comments that is not the comments themselves: settings,
 * the clock, focus, the open reply box, who is typing where. It changes often (the clock ticks,
 * focus moves, a countdown runs), so no comment takes it whole: each one picks what concerns it
 * (itemView) and re-renders only when that changes (lib/client/viewStore.ts).
 */
export interface ThreadView {
  slug: string;
  sort: Sort;
  locked: boolean;
  /** The page's clock, ticking once live; null before (server rendering, no JavaScript). */
  now: number | null;
  live: boolean;
  /** The comment whose reply box is open. */
  replyTo: string | null;
  /** Signed in as a moderator or admin. */
  moderator: boolean;
  /** Whether the server will know this reader again: their Edit and Delete would be refused otherwise (docs/embed.md). */
  keepsIdentity: boolean;
  /** Why a reply to this comment would be refused, or null when it would not. */
  blocked(commentId: string): string | null;
  /** Why any post would wait (slow mode, a countdown), or null. */
  waitNote: string | null;
  preModeration: boolean;
  /** A guest under `guests-premoderated`: their comment is reviewed before it appears (lib/domain/commentPolicy.ts). */
  guestReview: boolean;
  /** A guest under `accounts`: where they sign in, in place of a reply box; null when they may post. */
  signInHref: string | null;
  clientIdFor(parentId: string | null): string;
  /** Branches the reader folded → how many replies arrived under each since. */
  collapsed: Readonly<Record<string, number>>;
  /** A comment's id → how many others are writing a reply to it. */
  typing: Readonly<Record<string, number>>;
  /** The page's connection is live (a box's held post may go). */
  connected: boolean;
  /** The comment that holds the keyboard's place (j/k): the one comment in the tab order. */
  focusedId: string | null;
  /** Q&A: top-level comments are questions (lib/domain/questions.ts). */
  qa: boolean;
  /** The replies that answer a loaded question (threadState.ts answerIds). */
  answers: ReadonlySet<string>;
}

/** What one comment shows of the page around it: flat, so that an unchanged one compares equal field by field. */
export interface ItemView {
  slug: string;
  sort: Sort;
  live: boolean;
  moderator: boolean;
  keepsIdentity: boolean;
  /** The one comment in the tab order. */
  focused: boolean;
  folded: boolean;
  newWhileFolded: number;
  /** Someone else is writing a reply to it. */
  typing: boolean;
  blocked: string | null;
  /** Its author may still edit it (visible, theirs, within the edit window). */
  editable: boolean;
  /** Its reply box is open; the box's own values below are the page's only then (else constants). */
  replying: boolean;
  waitNote: string | null;
  connected: boolean;
  preModeration: boolean;
  guestReview: boolean;
  signInHref: string | null;
  clientId: string | null;
  /** The thread is a Q&A (a moderator's Mark as answer shows on its replies). */
  qa: boolean;
  /** A question of a Q&A thread (lib/domain/questions.ts). */
  question: boolean;
  /** The reply that answers its question. */
  answer: boolean;
}

export function itemView(view: ThreadView, c: ClientComment): ItemView {
  const replying = view.replyTo === c.id;
  const blocked = view.blocked(c.id);
  const age = view.now === null || c.createdAt === null ? null : view.now - Date.parse(c.createdAt);
  return {
    slug: view.slug,
    sort: view.sort,
    live: view.live,
    moderator: view.moderator,
    keepsIdentity: view.keepsIdentity,
    focused: view.focusedId === c.id,
    folded: view.collapsed[c.id] !== undefined,
    newWhileFolded: view.collapsed[c.id] ?? 0,
    typing: view.typing[c.id] !== undefined,
    blocked,
    // A locked branch takes no edits, as it takes no replies (the server refuses them: branch_locked).
    editable: c.status === 'visible' && c.mine && view.keepsIdentity && !c.local && !view.locked && blocked === null && age !== null && age < EDIT_WINDOW_MS,
    replying,
    // A running countdown changes the note every second: only the comment with the open box follows it.
    waitNote: replying ? view.waitNote : null,
    connected: replying && view.connected,
    preModeration: replying && view.preModeration,
    guestReview: replying && view.guestReview,
    signInHref: replying ? view.signInHref : null,
    clientId: replying ? view.clientIdFor(c.id) : null,
    qa: view.qa,
    question: isQuestion(view, c),
    answer: view.answers.has(c.id),
  };
}
