import type { CommentPolicy } from '../domain/commentPolicy';
import type { CatchUp, CommentView, Sort, ThreadEventWire, ThreadSettings } from '../contract/api';
import { placeUnder } from '../domain/placement';
import { comparePicks, isPick } from '../domain/picks';
import { buildTree, parentsFirst, pruneDeletedLeaves, type TreeNode } from '../domain/tree';
import type { ThreadSettings as SettingsHeld } from '../domain/events';
import { isKnownEvent } from './wireGuards';
import { inQaView, isQaSort } from '../domain/questions';

/**
 * What one open page knows about its thread, and every change to it as a pure
 * function, so the rules (seq order, no duplicates, gap detection, holding
 * new top-level comments back) are unit-tested without a browser.
 */
export interface ClientComment extends CommentView {
  /** Written by this reader. */
  mine: boolean;
  /**
   * A comment of ours on its way to the server, shown at once. It goes again
   * if the server does not take it: the comment box still holds the text
   * (and says why), so nothing unsendable is left in the thread.
   */
  local?: { state: 'sending'; clientId: string };
  /** Arrived live: highlighted briefly. */
  fresh?: boolean;
}

/** What one page holds of its thread: the settings as the server keeps them (a hidden thread: a reader's page shows it removed, threadGone), and the comments. */
export interface ThreadState extends SettingsHeld {
  slug: string;
  sort: Sort;
  /** The last seq applied; every event up to it is reflected here. */
  seq: number;
  /**
   * The thread is gone: deleted, or not found any more (hidden from this
   * reader, as the server answers without telling which). Nothing the server
   * says about the slug is applied from then on: it may name a new thread.
   */
  removed: boolean;
  comments: Record<string, ClientComment>;
  /**
   * Others' comments waiting behind the "N new comments" button: new top-level ones, and whatever
   * arrived while the page loaded (replies too; see the `first` catch-up).
   */
  held: string[];
  /** Events that arrived ahead of a gap, applied once the gap is filled. */
  ahead: Record<number, ThreadEventWire>;
  /** Branches the reader folded, and how many replies arrived under each since. */
  collapsed: Record<string, number>;
  /** Where the next page of branches starts, or null when every branch is here. */
  nextCursor: string | null;
  /** Visible comments in branches not loaded yet: counted live, shown when their page loads. */
  unloaded: number;
  /** Ids of this reader's comments, loaded or not (the page says which; posts from this page add theirs). */
  own: Record<string, true>;
  /** Others' replies to this reader's comments since the page opened, oldest first, until dismissed. */
  replies: ReplyToMe[];
  /**
   * In the `top` sort, each branch's likes when it was loaded: the order the
   * reader sees stays put while counts change live (a branch does not jump
   * under their eyes); a reload orders by the counts then.
   */
  rank: Record<string, number>;
  /**
   * The server speaks a newer protocol than this page, or sent an event it
   * does not understand: from then on nothing the server says about the
   * thread is applied (it could be misread), and the page asks the reader to
   * reload. What the reader typed stays where it is.
   */
  outdated: boolean;
  /**
   * Editors' picks whose branch this page has not loaded (featured live, in a later page): the Picks
   * strip shows them with a link to their branch's page. A pick in a loaded branch is in `comments`.
   */
  farPicks: Record<string, CommentView>;
  /**
   * Live updates paused by the reader ("Pause live", issue 19): the thread as it would be live, every
   * server event applied to it by the same seq rules, while this state (what the page shows) stands
   * still. The connection asks after this one's seq (heard()), so catch-up stays exact; resuming
   * shows it. Null while live.
   */
  paused: ThreadState | null;
}

export interface ReplyToMe {
  id: string;
  /** The replier's name, or null when unknown. */
  author: string | null;
  /** The reader's comment it answers: where its branch page starts when the reply is not on this page. */
  parentId: string;
}

/**
 * The settings a catch-up or a `thread.updated` event sends, as the page holds them. An older server says
 * nothing of hiding (nor of a policy, Q&A or closing): such a thread is not hidden (and follows the site's,
 * and never closes).
 */
function settingsHeld(sent: ThreadSettings): SettingsHeld {
  const { locked, slowModeSeconds, preModeration, hidden, commentPolicy, qa, closesAt } = sent;
  return { locked, slowModeSeconds, preModeration, hidden: hidden === true, commentPolicy: commentPolicy ?? null, qa: qa === true, closesAt: closesAt ?? null };
}

/** Local (unconfirmed) comments sort after every real one. */
const LOCAL_SEQ = Number.MAX_SAFE_INTEGER;

export function localId(clientId: string): string {
  return `local-${clientId}`;
}

/** What a page starts from: the thread as the server rendered it. */
export interface ThreadStart {
  slug: string;
  sort: Sort;
  seq: number;
  locked: boolean;
  slowModeSeconds?: number;
  preModeration?: boolean;
  /** Only staff are ever given a hidden thread's page. */
  hidden?: boolean;
  commentPolicy?: CommentPolicy | null;
  qa?: boolean;
  /** When comments close (UTC); absent or null: never. */
  closesAt?: string | null;
  comments: readonly (CommentView & { mine?: boolean })[];
  /** The cursor of the next page of branches (null or absent: this is all of them). */
  nextCursor?: string | null;
  /** The thread's visible comments, loaded or not (absent: just the ones given). */
  total?: number;
  /** This reader's comments on the thread beyond the ones given (in branches not loaded). */
  ownIds?: readonly string[];
}

export function initialState(options: ThreadStart): ThreadState {
  const comments: Record<string, ClientComment> = {};
  const own: Record<string, true> = {};
  for (const c of options.comments) {
    comments[c.id] = { ...c, mine: c.mine ?? false };
    if (c.mine) own[c.id] = true;
  }
  for (const id of options.ownIds ?? []) own[id] = true;
  const loaded = options.comments.filter((c) => c.status === 'visible').length;
  return {
    slug: options.slug,
    sort: options.sort,
    seq: options.seq,
    locked: options.locked,
    slowModeSeconds: options.slowModeSeconds ?? 0,
    preModeration: options.preModeration ?? false,
    hidden: options.hidden ?? false,
    commentPolicy: options.commentPolicy ?? null,
    qa: options.qa ?? false,
    closesAt: options.closesAt ?? null,
    removed: false,
    comments,
    held: [],
    ahead: {},
    collapsed: {},
    nextCursor: options.nextCursor ?? null,
    unloaded: Math.max(0, (options.total ?? loaded) - loaded),
    own,
    replies: [],
    rank: ranks({}, options.comments),
    outdated: false,
    farPicks: {},
    paused: null,
  };
}

function ranks(rank: Record<string, number>, comments: readonly CommentView[]): Record<string, number> {
  const next = { ...rank };
  for (const c of comments) if (c.parentId === null && next[c.id] === undefined) next[c.id] = c.likes;
  return next;
}

export type ThreadAction =
  | { type: 'event'; event: ThreadEventWire }
  /**
   * What the server says happened since the page's seq. `first`: the page's first since it was
   * rendered, so what it brings arrived while the page loaded; it is held behind the button, replies
   * too, so that nothing moves under a reader who has just started reading.
   */
  | { type: 'catch-up'; catchUp: CatchUp; first?: boolean }
  | { type: 'send'; clientId: string; parentId: string | null; body: string; authorName: string }
  | { type: 'sent'; clientId: string; comment: CommentView }
  /** Not taken (refused, or no answer): the box that sent it holds the text. */
  | { type: 'send-failed'; clientId: string }
  | { type: 'changed'; comment: CommentView }
  | { type: 'reveal' }
  | { type: 'fold'; id: string; open: boolean }
  | { type: 'settle'; id: string }
  | { type: 'replace'; seq: number; settings: ThreadSettings; comments: readonly CommentView[]; nextCursor: string | null; total: number }
  /** The next page of branches, as the API gave it. */
  | { type: 'page'; comments: readonly CommentView[]; nextCursor: string | null }
  /**
   * Events since a page was read, replayed for the branches it brought: they
   * were skipped when they arrived, their branches not being here yet.
   */
  | { type: 'backfill'; events: readonly ThreadEventWire[] }
  /** The reader pressed Like (or Unlike): shown at once, before the server answers. */
  | { type: 'like'; id: string; liked: boolean }
  /** The server's answer; `changed: false` means it was already so, and `likes` is the count to show. */
  | { type: 'like-done'; id: string; liked: boolean; likes: number; changed: boolean }
  /** Refused or unanswered: the optimistic change is taken back. */
  | { type: 'like-failed'; id: string; liked: boolean }
  | { type: 'dismiss-reply'; id: string }
  /**
   * What is this reader's own, read after the page loaded (its HTML is everyone's): their comments,
   * held ones with their text, and the comments they like (GET /api/threads/<slug>/viewer).
   */
  | { type: 'reader'; own: readonly CommentView[]; liked: readonly string[] }
  /** The server announced a protocol this page does not speak (docs/protocol.md). */
  | { type: 'outdated' }
  /** The thread was deleted, or is not found any more (`thread:deleted`, or `thread_not_found` when catching up or loading). */
  | { type: 'removed' }
  /** "Pause live": what the server says from now on is held, not shown. */
  | { type: 'pause' }
  /** "Resume": what was held shows, in the order it happened, new top-level comments too (not behind the button). */
  | { type: 'resume' };

/** What a paused page holds back; the rest (the reader's own doings, pages they load) shows at once. */
const HELD_WHILE_PAUSED = new Set<ThreadAction['type']>(['event', 'catch-up', 'replace']);

/** The thread as the server has told it: the live one while paused. The connection asks for what comes after its seq. */
export function heard(state: ThreadState): ThreadState {
  return state.paused ?? state;
}

/**
 * "Paused — 12 new": others' comments the held events bring (visible, not shown now), those
 * in branches not loaded counted too.
 */
export function newWhilePaused(state: ThreadState): number {
  const live = state.paused;
  if (!live) return 0;
  let count = Math.max(0, live.unloaded - state.unloaded);
  for (const c of Object.values(live.comments)) if (c.status === 'visible' && !c.mine && !c.local && state.comments[c.id]?.status !== 'visible') count++;
  return count;
}

export function reduce(state: ThreadState, action: ThreadAction): ThreadState {
  if (action.type === 'pause') return state.paused || state.removed ? state : { ...state, paused: { ...state, paused: null } };
  const live = state.paused;
  if (live === null) return reduceLive(state, action);
  if (action.type === 'resume') return { ...live, held: [], paused: null };
  const next = reduceLive(live, action);
  if (HELD_WHILE_PAUSED.has(action.type)) return next === live ? state : { ...state, paused: next };
  // Gone or outdated ends the pause: nothing more will come to hold.
  if (next.removed || next.outdated) return { ...next, paused: null };
  return { ...reduceLive(state, action), paused: next };
}

/** What the server says about the thread: none of it is applied once the page is outdated. */
const FROM_SERVER = new Set<ThreadAction['type']>(['event', 'catch-up', 'replace', 'page', 'backfill']);

function reduceLive(state: ThreadState, action: ThreadAction): ThreadState {
  if ((state.outdated || state.removed) && FROM_SERVER.has(action.type)) return state;
  switch (action.type) {
    case 'outdated':
      return { ...state, outdated: true };
    case 'removed':
      return state.removed ? state : { ...state, removed: true, held: [], ahead: {} };
    case 'event':
      return receive(state, action.event);
    case 'catch-up': {
      let next: ThreadState = { ...state, ...settingsHeld(action.catchUp.thread) };
      for (const event of action.catchUp.missed) next = receive(next, event);
      return action.first ? holdArrivals(state, next) : next;
    }
    case 'send': {
      const parent = action.parentId === null ? undefined : state.comments[action.parentId];
      const now = new Date().toISOString();
      const comment: ClientComment = {
        id: localId(action.clientId),
        parentId: action.parentId,
        ...placeUnder(localId(action.clientId), parent ?? null),
        status: 'visible',
        author: { name: action.authorName },
        body: action.body,
        // The markdown is rendered by the server alone (no renderer in the page's script): until its answer, the text shows as written.
        html: '',
        createdAt: now,
        editedAt: null,
        seq: LOCAL_SEQ,
        locked: false,
        pinned: false,
        likes: 0,
        mine: true,
        local: { state: 'sending', clientId: action.clientId },
      };
      return { ...state, comments: { ...state.comments, [comment.id]: comment } };
    }
    case 'sent':
      return confirmLocal(state, action.clientId, action.comment);
    case 'send-failed': {
      const id = localId(action.clientId);
      if (!state.comments[id]?.local) return state;
      const comments = { ...state.comments };
      delete comments[id];
      return { ...state, comments };
    }
    case 'changed': {
      const current = state.comments[action.comment.id];
      if (!current) return state;
      return { ...state, comments: { ...state.comments, [action.comment.id]: { ...current, ...action.comment } } };
    }
    case 'reveal':
      return { ...state, held: [] };
    case 'fold': {
      const collapsed = { ...state.collapsed };
      if (action.open) delete collapsed[action.id];
      else collapsed[action.id] = 0;
      return { ...state, collapsed };
    }
    case 'settle': {
      const current = state.comments[action.id];
      if (!current?.fresh) return state;
      return { ...state, comments: { ...state.comments, [action.id]: { ...current, fresh: false } } };
    }
    case 'replace': {
      const mine = (id: string) => state.comments[id]?.mine ?? false;
      const comments: Record<string, ClientComment> = {};
      for (const c of action.comments) comments[c.id] = { ...c, mine: mine(c.id) };
      // Unconfirmed comments of ours stay: their send is still under way.
      for (const c of Object.values(state.comments)) if (c.local) comments[c.id] = c;
      const loaded = action.comments.filter((c) => c.status === 'visible').length;
      // The first page carries every pick's branch: none is far any more.
      return { ...state, seq: action.seq, ...settingsHeld(action.settings), comments, held: [], ahead: {}, nextCursor: action.nextCursor, unloaded: Math.max(0, action.total - loaded), rank: ranks({}, action.comments), farPicks: {} };
    }
    case 'page': {
      const comments = { ...state.comments };
      let arrived = 0;
      for (const c of action.comments) {
        if (comments[c.id]) continue;
        comments[c.id] = { ...c, mine: state.own[c.id] ?? false };
        if (c.status === 'visible') arrived++;
      }
      return { ...state, comments, nextCursor: action.nextCursor, unloaded: Math.max(0, state.unloaded - arrived), rank: ranks(state.rank, action.comments) };
    }
    case 'like':
    case 'like-failed': {
      const current = state.comments[action.id];
      // Taking back is the opposite change; a count never shows below zero.
      const liked = action.type === 'like' ? action.liked : !action.liked;
      if (!current || (current.likedByMe ?? false) === liked) return state;
      const likes = Math.max(0, current.likes + (liked ? 1 : -1));
      return { ...state, comments: { ...state.comments, [action.id]: { ...current, likedByMe: liked, likes } } };
    }
    case 'like-done': {
      const current = state.comments[action.id];
      if (!current) return state;
      // A change arrives as its event too (with the count); only a no-op's count comes from here alone.
      const likes = action.changed ? current.likes : action.likes;
      return { ...state, comments: { ...state.comments, [action.id]: { ...current, likedByMe: action.liked, likes } } };
    }
    case 'dismiss-reply':
      return { ...state, replies: state.replies.filter((r) => r.id !== action.id) };
    case 'reader':
      return withReader(state, action.own, action.liked);
    case 'pause':
    case 'resume':
      return state;
    case 'backfill': {
      let next = state;
      for (const event of action.events) {
        if (!isKnownEvent(event)) continue;
        if (event.type === 'comment.liked') {
          next = applyLikes(next, event.commentId, event.likes);
          continue;
        }
        if (event.type !== 'comment.created' && event.type !== 'comment.updated') continue;
        const c = event.comment;
        if (!next.comments[c.rootId] || (event.type === 'comment.created' && next.comments[c.id])) continue;
        next = { ...next, comments: { ...next.comments, [c.id]: { ...c, mine: next.comments[c.id]?.mine ?? false } } };
      }
      return next;
    }
  }
}

/**
 * The reader's own comments marked (their text kept, for editing: the page carries others' text once, as
 * HTML), their held ones placed where they belong when that is on the page, and their likes marked.
 */
function withReader(state: ThreadState, own: readonly CommentView[], liked: readonly string[]): ThreadState {
  const comments = { ...state.comments };
  const ownIds = { ...state.own };
  // Parents before replies, so a held reply to a held comment finds its parent placed.
  for (const c of [...own].sort((a, b) => a.depth - b.depth)) {
    ownIds[c.id] = true;
    const current = comments[c.id];
    if (current) comments[c.id] = { ...current, mine: true, body: current.body || c.body, html: current.html || c.html };
    // A held one shows where it belongs when that is on the page (a top-level one always is: the tree sorts it in).
    else if (c.status === 'pending' && (c.parentId === null || (comments[c.rootId] && comments[c.parentId]))) comments[c.id] = { ...c, mine: true };
  }
  for (const id of liked) {
    const current = comments[id];
    if (current && !current.likedByMe) comments[id] = { ...current, likedByMe: true };
  }
  return { ...state, comments, own: ownIds, rank: ranks(state.rank, own.filter((c) => comments[c.id]?.mine)) };
}

/** Applies an event in seq order: older ones are dropped, early ones wait for the gap to fill. */
function receive(state: ThreadState, event: ThreadEventWire): ThreadState {
  if (state.outdated) return state;
  // Not a guess at what a newer server meant: the event is not applied, and neither is anything after it.
  if (!isKnownEvent(event)) return { ...state, outdated: true };
  if (event.seq <= state.seq || state.ahead[event.seq]) return state;
  if (event.seq > state.seq + 1) return { ...state, ahead: { ...state.ahead, [event.seq]: event } };
  let next = apply({ ...state, seq: event.seq }, event);
  const ahead = { ...next.ahead };
  let following = ahead[next.seq + 1];
  while (following) {
    delete ahead[following.seq];
    next = apply({ ...next, seq: following.seq }, following);
    following = ahead[next.seq + 1];
  }
  return { ...next, ahead };
}

/** The first seq missing before events already received, or null when there is no gap. */
export function missingFrom(state: ThreadState): number | null {
  return Object.keys(state.ahead).length > 0 ? state.seq : null;
}

function apply(state: ThreadState, event: ThreadEventWire): ThreadState {
  switch (event.type) {
    case 'thread.created':
      return { ...state, locked: event.thread.locked };
    case 'thread.updated':
      return { ...state, ...settingsHeld(event.thread) };
    case 'comment.updated': {
      const current = state.comments[event.comment.id];
      // A change in a branch this page has not loaded: the branch brings it when it loads (a pick is kept for the strip).
      if (!current && !inLoadedBranch(state, event.comment)) return withFarPick(state, event.comment);
      // Our own held comment, approved: the event now carries what we already showed.
      const keep = current?.mine && event.comment.status === 'pending' ? { body: current.body, html: current.html, author: current.author } : {};
      // Someone else's comment approved after being held: it is new to this reader.
      const fresh = current ? current.fresh : event.comment.status === 'visible';
      // Events go to every reader alike: whether this reader likes it is the page's own knowledge.
      const likedByMe = current?.likedByMe;
      return { ...state, comments: { ...state.comments, [event.comment.id]: { ...event.comment, ...keep, mine: current?.mine ?? false, fresh, likedByMe } } };
    }
    case 'comment.created': {
      if (event.clientId && state.comments[localId(event.clientId)]) return confirmLocal(state, event.clientId, event.comment);
      if (state.comments[event.comment.id]) return state;
      const withNotice = noticeReply(state, event.comment);
      if (!inLoadedBranch(state, event.comment)) return event.comment.status === 'visible' ? { ...withNotice, unloaded: state.unloaded + 1 } : state;
      const comments = { ...state.comments, [event.comment.id]: { ...event.comment, mine: false, fresh: event.comment.status === 'visible' } };
      const held = event.comment.parentId === null && event.comment.status === 'visible' ? [...state.held, event.comment.id] : state.held;
      return { ...withNotice, comments, held, collapsed: countUnderFolds(state, event.comment) };
    }
    case 'comment.liked':
      return applyLikes(state, event.commentId, event.likes);
  }
}

/** A count from an event: absolute, so applying it again (a replay, a backfill) changes nothing. */
function applyLikes(state: ThreadState, id: string, likes: number): ThreadState {
  const current = state.comments[id];
  if (!current || current.likes === likes) return state;
  return { ...state, comments: { ...state.comments, [id]: { ...current, likes } } };
}

/** Someone else answered one of this reader's comments: remember it for the notice. */
function noticeReply(state: ThreadState, comment: CommentView): ThreadState {
  if (comment.parentId === null || comment.status !== 'visible' || !state.own[comment.parentId] || state.own[comment.id]) return state;
  if (state.replies.some((r) => r.id === comment.id)) return state;
  const reply: ReplyToMe = { id: comment.id, author: comment.author.name, parentId: comment.parentId };
  return { ...state, replies: [...state.replies, reply] };
}

/** A top-level comment starts its own branch; a reply belongs to a branch only if that branch is here. */
function inLoadedBranch(state: ThreadState, comment: CommentView): boolean {
  return comment.parentId === null || state.comments[comment.rootId] !== undefined;
}

/** Our own comment, confirmed (by the ack or by its event, whichever comes first). */
function confirmLocal(state: ThreadState, clientId: string, comment: CommentView): ThreadState {
  const comments = { ...state.comments };
  const local = comments[localId(clientId)];
  delete comments[localId(clientId)];
  // A held comment reaches the room without its text; the author's page keeps the text it has.
  const keep = comment.status === 'pending' && local ? { body: local.body, html: local.html, author: local.author } : {};
  comments[comment.id] = { ...(comments[comment.id] ?? comment), ...comment, ...keep, mine: true, fresh: false };
  // Its event may have come first while no local copy was here (a send that timed out and went again): it was taken for someone else's.
  const held = state.held.includes(comment.id) ? state.held.filter((id) => id !== comment.id) : state.held;
  return { ...state, comments, held, own: { ...state.own, [comment.id]: true } };
}

function countUnderFolds(state: ThreadState, comment: CommentView): Record<string, number> {
  let collapsed = state.collapsed;
  let parentId = comment.parentId;
  while (parentId !== null) {
    if (collapsed[parentId] !== undefined) collapsed = { ...collapsed, [parentId]: collapsed[parentId]! + 1 };
    parentId = state.comments[parentId]?.parentId ?? null;
  }
  return collapsed;
}

/** Others' visible comments in `after` that `before` did not have, held back with those already held (oldest first). */
function holdArrivals(before: ThreadState, after: ThreadState): ThreadState {
  const arrived = Object.values(after.comments).filter((c) => !before.comments[c.id] && !c.mine && !c.local && c.status === 'visible' && !after.held.includes(c.id));
  if (arrived.length === 0) return after;
  const held = [...after.held.map((id) => after.comments[id]).filter((c) => c !== undefined), ...arrived].sort((a, b) => a.seq - b.seq).map((c) => c.id);
  return { ...after, held };
}

/** Whether a comment is held back, or under one that is: it shows with it. */
function isHeld(state: ThreadState, held: ReadonlySet<string>, comment: ClientComment): boolean {
  const seen = new Set<string>();
  for (let c: ClientComment | undefined = comment; c && !seen.has(c.id); c = c.parentId === null ? undefined : state.comments[c.parentId]) {
    if (held.has(c.id)) return true;
    seen.add(c.id);
  }
  return false;
}

/** The tree a page shows: held-back comments (and what is under them) and others' pending ones left out, deleted leaves pruned. */
export function visibleTree(state: ThreadState, options: { rootId?: string } = {}): TreeNode<ClientComment>[] {
  const held = new Set(state.held);
  const shown = Object.values(state.comments).filter((c) => (held.size === 0 || !isHeld(state, held, c)) && (c.status !== 'pending' || c.mine));
  if (options.rootId !== undefined) return pruneDeletedLeaves(buildTree(shown, { rootId: options.rootId }));
  if (state.sort === 'picks') return pruneDeletedLeaves(buildTree(shown, { sort: 'oldest' })).filter(holdsPick);
  // The answered and unanswered views hold their questions only: one answered live leaves the open ones at once.
  if (isQaSort(state.sort)) return pruneDeletedLeaves(buildTree(shown, { sort: state.sort })).filter((root) => root.item.mine || inQaView(state.sort, root.item));
  if (state.sort !== 'top') return pruneDeletedLeaves(buildTree(shown, { sort: state.sort }));
  // Branches that arrived live rank as they were then: with no likes, after the liked ones.
  const tree = pruneDeletedLeaves(buildTree(shown, { sort: 'oldest' }));
  return tree.sort((a, b) => (state.rank[b.item.id] ?? 0) - (state.rank[a.item.id] ?? 0) || a.item.seq - b.item.seq);
}

/** Visible comments, for the count in the heading: those here and those in branches not loaded yet. */
export function visibleCount(state: ThreadState): number {
  return Object.values(state.comments).filter((c) => c.status === 'visible' && !c.local).length + state.unloaded;
}

/** Visible comments on the page now: the "224" of "224 of 1,962 shown" beside More comments. */
export function shownCount(state: ThreadState): number {
  return visibleCount(state) - state.unloaded;
}

/**
 * Whether the page shows the discussion removed: the thread was deleted or is
 * not found any more, or it is hidden and the reader is not staff. Such a page
 * shows no comments and no comment box, and stops following the thread.
 */
export function threadGone(state: ThreadState, reader: { staff: boolean }): boolean {
  return state.removed || (state.hidden && !reader.staff);
}

/** Whether a reply to this comment would be refused: the thread is hidden or locked, or its branch is locked. */
export function replyBlocked(state: ThreadState, commentId: string | null): 'hidden' | 'thread' | 'branch' | null {
  if (state.hidden) return 'hidden';
  if (state.locked) return 'thread';
  let id = commentId;
  while (id !== null) {
    const c = state.comments[id];
    if (!c) break;
    if (c.locked) return 'branch';
    id = c.parentId;
  }
  return null;
}

/** A change to a comment in a branch not loaded: kept while it is a pick, forgotten when it stops being one. */
function withFarPick(state: ThreadState, comment: CommentView): ThreadState {
  if (isPick(comment)) return { ...state, farPicks: { ...state.farPicks, [comment.id]: comment } };
  if (!state.farPicks[comment.id]) return state;
  const { [comment.id]: _gone, ...farPicks } = state.farPicks;
  return { ...state, farPicks };
}

/** One pick in the strip: `onPage` when its comment is on this page (else the link loads its branch's page). */
export interface PickOnPage {
  comment: CommentView;
  onPage: boolean;
}

/** The editors' picks, newest pick first (lib/domain/picks.ts): those on the page and those in branches not loaded. */
export function picksOf(state: ThreadState): PickOnPage[] {
  const here = Object.values(state.comments).map((comment) => ({ comment, onPage: true }));
  const far = Object.values(state.farPicks)
    .filter((c) => !state.comments[c.id])
    .map((comment) => ({ comment, onPage: false }));
  return [...here, ...far].filter((p) => isPick(p.comment)).sort((a, b) => comparePicks(a.comment, b.comment));
}

/** In the Picks sort, only the branches that hold a pick (the first page brings every one of them). */
function holdsPick(node: TreeNode<ClientComment>): boolean {
  return parentsFirst([node]).some((n) => isPick(n.item));
}

/**
 * Whether the page's view shows these comments' branches once they are revealed, as visibleTree does: the
 * Picks view the branches that hold a pick, the answered and unanswered views their questions (and one's
 * own); every other view every branch. The arrivals pill counts only these: a new comment the view would
 * not show is no news in it.
 */
export function shownInView(state: ThreadState): (comment: ClientComment) => boolean {
  if (state.sort === 'picks') {
    const picked = new Set(Object.values(state.comments).filter(isPick).map((c) => (c.parentId === null ? c.id : c.rootId)));
    return (c) => picked.has(c.parentId === null ? c.id : c.rootId);
  }
  if (isQaSort(state.sort)) {
    return (c) => {
      const root = c.parentId === null ? c : state.comments[c.rootId];
      return root !== undefined && (root.mine || inQaView(state.sort, root));
    };
  }
  return () => true;
}

/** The replies that answer a loaded question (lib/domain/questions.ts): highlighted where they are. */
export function answerIds(state: ThreadState): ReadonlySet<string> {
  const ids = new Set<string>();
  if (!state.qa) return ids;
  for (const c of Object.values(state.comments)) if (c.depth === 1 && c.answerId !== undefined) ids.add(c.answerId);
  return ids;
}
