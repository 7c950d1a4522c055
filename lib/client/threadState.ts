import type { CatchUp, CommentView, Sort, ThreadEventWire } from '../contract/api';
import { buildTree, pruneDeletedLeaves, type TreeNode } from '../domain/tree';

/**
 * What one open page knows about its thread, and every change to it as a pure
 * function, so the rules (seq order, no duplicates, gap detection, holding
 * new top-level comments back) are unit-tested without a browser.
 */
export interface ClientComment extends CommentView {
  /** Written by this reader. */
  mine: boolean;
  /** A comment of ours not yet confirmed by the server. */
  local?: { state: 'sending' | 'failed'; clientId: string; error?: string };
  /** Arrived live: highlighted briefly. */
  fresh?: boolean;
}

export interface ThreadState {
  slug: string;
  sort: Sort;
  /** The last seq applied; every event up to it is reflected here. */
  seq: number;
  locked: boolean;
  comments: Record<string, ClientComment>;
  /** New top-level comments from others, waiting behind the "N new comments" button. */
  held: string[];
  /** Events that arrived ahead of a gap, applied once the gap is filled. */
  ahead: Record<number, ThreadEventWire>;
  /** Branches the reader folded, and how many replies arrived under each since. */
  collapsed: Record<string, number>;
}

/** Local (unconfirmed) comments sort after every real one. */
const LOCAL_SEQ = Number.MAX_SAFE_INTEGER;

export function localId(clientId: string): string {
  return `local-${clientId}`;
}

export function initialState(options: { slug: string; sort: Sort; seq: number; locked: boolean; comments: readonly (CommentView & { mine?: boolean })[] }): ThreadState {
  const comments: Record<string, ClientComment> = {};
  for (const c of options.comments) comments[c.id] = { ...c, mine: c.mine ?? false };
  return { slug: options.slug, sort: options.sort, seq: options.seq, locked: options.locked, comments, held: [], ahead: {}, collapsed: {} };
}

export type ThreadAction =
  | { type: 'event'; event: ThreadEventWire }
  | { type: 'catch-up'; catchUp: CatchUp }
  | { type: 'send'; clientId: string; parentId: string | null; body: string; authorName: string; html: string }
  | { type: 'sent'; clientId: string; comment: CommentView }
  | { type: 'send-failed'; clientId: string; error: string }
  | { type: 'retry'; clientId: string }
  | { type: 'changed'; comment: CommentView }
  | { type: 'reveal' }
  | { type: 'fold'; id: string; open: boolean }
  | { type: 'settle'; id: string }
  | { type: 'replace'; seq: number; locked: boolean; comments: readonly CommentView[] };

export function reduce(state: ThreadState, action: ThreadAction): ThreadState {
  switch (action.type) {
    case 'event':
      return receive(state, action.event);
    case 'catch-up': {
      let next: ThreadState = { ...state, locked: action.catchUp.thread.locked };
      for (const event of action.catchUp.missed) next = receive(next, event);
      return next;
    }
    case 'send': {
      const parent = action.parentId === null ? undefined : state.comments[action.parentId];
      const now = new Date().toISOString();
      const comment: ClientComment = {
        id: localId(action.clientId),
        parentId: action.parentId,
        depth: parent ? parent.depth + 1 : 1,
        status: 'visible',
        author: { name: action.authorName },
        body: action.body,
        html: action.html,
        createdAt: now,
        editedAt: null,
        seq: LOCAL_SEQ,
        mine: true,
        local: { state: 'sending', clientId: action.clientId },
      };
      return { ...state, comments: { ...state.comments, [comment.id]: comment } };
    }
    case 'sent':
      return confirmLocal(state, action.clientId, action.comment);
    case 'send-failed':
    case 'retry': {
      const id = localId(action.clientId);
      const local = state.comments[id];
      if (!local?.local) return state;
      const next: ClientComment =
        action.type === 'retry'
          ? { ...local, local: { state: 'sending', clientId: action.clientId } }
          : { ...local, local: { state: 'failed', clientId: action.clientId, error: action.error } };
      return { ...state, comments: { ...state.comments, [id]: next } };
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
      return { ...state, seq: action.seq, locked: action.locked, comments, held: [], ahead: {} };
    }
  }
}

/** Applies an event in seq order: older ones are dropped, early ones wait for the gap to fill. */
function receive(state: ThreadState, event: ThreadEventWire): ThreadState {
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
    case 'thread.updated':
      return { ...state, locked: event.thread.locked };
    case 'comment.updated': {
      const current = state.comments[event.comment.id];
      return { ...state, comments: { ...state.comments, [event.comment.id]: { ...event.comment, mine: current?.mine ?? false, fresh: current?.fresh } } };
    }
    case 'comment.created': {
      if (event.clientId && state.comments[localId(event.clientId)]) return confirmLocal(state, event.clientId, event.comment);
      if (state.comments[event.comment.id]) return state;
      const comments = { ...state.comments, [event.comment.id]: { ...event.comment, mine: false, fresh: true } };
      const held = event.comment.parentId === null ? [...state.held, event.comment.id] : state.held;
      return { ...state, comments, held, collapsed: countUnderFolds(state, event.comment) };
    }
  }
}

/** Our own comment, confirmed (by the ack or by its event, whichever comes first). */
function confirmLocal(state: ThreadState, clientId: string, comment: CommentView): ThreadState {
  const comments = { ...state.comments };
  delete comments[localId(clientId)];
  comments[comment.id] = { ...(comments[comment.id] ?? comment), ...comment, mine: true, fresh: false };
  return { ...state, comments };
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

/** The tree a page shows: held comments left out, deleted leaves pruned. */
export function visibleTree(state: ThreadState, options: { rootId?: string } = {}): TreeNode<ClientComment>[] {
  const held = new Set(state.held);
  const shown = Object.values(state.comments).filter((c) => !held.has(c.id));
  return pruneDeletedLeaves(buildTree(shown, options.rootId === undefined ? { sort: state.sort } : { rootId: options.rootId }));
}

/** Visible comments, for the count in the heading. */
export function visibleCount(state: ThreadState): number {
  return Object.values(state.comments).filter((c) => c.status === 'visible' && !c.local).length;
}
