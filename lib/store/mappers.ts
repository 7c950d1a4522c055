import { isCommentPolicy, type CommentPolicy } from '../domain/commentPolicy';
import { CommentStatusSchema, HELD_REASONS } from '../contract/api';
import { mentionsFromJson, mentionsToJson } from '../domain/mentions';
import type { Comment, HeldReason, MentionRef, Thread } from '../domain/types';
import type { ThreadEvent } from '../domain/events';
import type { CommentRow, ThreadEventRow, ThreadRow } from './schema';

/**
 * Pure converters between rows and domain records. A row that breaks an
 * invariant throws `CorruptRowError` instead of leaking a bad value upward.
 */
export class CorruptRowError extends Error {
  constructor(table: string, id: string, problem: string) {
    super(`corrupt ${table} row ${id}: ${problem}`);
    this.name = 'CorruptRowError';
  }
}

function requireInt(table: string, id: string, name: string, value: unknown, min: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw new CorruptRowError(table, id, `${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return n;
}

function requireTime(table: string, id: string, name: string, value: string | null): string | null {
  if (value === null) return null;
  if (Number.isNaN(Date.parse(value))) throw new CorruptRowError(table, id, `${name} is not a time: ${value}`);
  return value;
}

function requireFlag(table: string, id: string, name: string, value: unknown): boolean {
  const n = requireInt(table, id, name, value, 0);
  if (n > 1) throw new CorruptRowError(table, id, `${name} must be 0 or 1, got ${n}`);
  return n === 1;
}

const HELD = new Set<string>(HELD_REASONS);

function heldReason(row: CommentRow): HeldReason | null {
  if (row.held_reason === null || row.held_reason === undefined) return null;
  if (!HELD.has(row.held_reason)) throw new CorruptRowError('comments', row.id, `unknown held_reason ${row.held_reason}`);
  return row.held_reason as HeldReason;
}

/** The people a comment names (migration 0023): absent when none; anything but a list of {id, name} is a corrupt row. */
function mentionsFromRow(row: CommentRow): { mentions?: MentionRef[] } {
  let mentions: MentionRef[] | undefined;
  try {
    mentions = mentionsFromJson(row.mentions);
  } catch (err) {
    throw new CorruptRowError('comments', row.id, `mentions: ${err instanceof Error ? err.message : String(err)}`);
  }
  return mentions && mentions.length > 0 ? { mentions } : {};
}

/** An editors' pick's note and time (migration 0029), where it was ever featured. */
function pickFromRow(row: CommentRow): { pick?: NonNullable<Comment['pick']> } {
  const note = row.pick_note ?? null;
  const at = row.picked_at ?? null;
  if (note === null && at === null) return {};
  return { pick: { note, at: requireTime('comments', row.id, 'picked_at', at) } };
}

/** The thread's own comment policy (migration 0020); NULL follows the site's. */
function policyFromRow(row: ThreadRow): CommentPolicy | null {
  const policy = row.comment_policy ?? null;
  if (policy !== null && !isCommentPolicy(policy)) throw new CorruptRowError('threads', row.id, `unknown comment_policy ${policy}`);
  return policy;
}

export function threadFromRow(row: ThreadRow): Thread {
  const locked = requireFlag('threads', row.id, 'locked', row.locked);
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    article: row.article,
    locked,
    seq: requireInt('threads', row.id, 'seq', row.seq, 0),
    source: row.source,
    createdAt: requireTime('threads', row.id, 'created_at', row.created_at) ?? row.created_at,
    slowModeSeconds: requireInt('threads', row.id, 'slow_mode_seconds', row.slow_mode_seconds, 0),
    preModeration: requireFlag('threads', row.id, 'pre_moderation', row.pre_moderation),
    articleUrl: row.article_url ?? null,
    hidden: requireFlag('threads', row.id, 'hidden', row.hidden),
    commentPolicy: policyFromRow(row),
    qa: requireFlag('threads', row.id, 'qa', row.qa ?? 0),
    closesAt: requireTime('threads', row.id, 'closes_at', row.closes_at ?? null),
  };
}

export function threadToRow(thread: Thread): ThreadRow {
  return {
    id: thread.id,
    slug: thread.slug,
    title: thread.title,
    article: thread.article,
    locked: thread.locked ? 1 : 0,
    seq: thread.seq,
    source: thread.source,
    created_at: thread.createdAt,
    slow_mode_seconds: thread.slowModeSeconds,
    pre_moderation: thread.preModeration ? 1 : 0,
    article_url: thread.articleUrl,
    hidden: thread.hidden ? 1 : 0,
    comment_policy: thread.commentPolicy,
    qa: thread.qa ? 1 : 0,
    closes_at: thread.closesAt,
  };
}

export function commentFromRow(row: CommentRow): Comment {
  const status = CommentStatusSchema.safeParse(row.status);
  if (!status.success) throw new CorruptRowError('comments', row.id, `unknown status ${row.status}`);
  const depth = requireInt('comments', row.id, 'depth', row.depth, 1);
  if ((row.parent_id === null) !== (depth === 1)) {
    throw new CorruptRowError('comments', row.id, `depth ${depth} does not match parent ${row.parent_id ?? 'none'}`);
  }
  if (depth === 1 ? row.root_id !== null && row.root_id !== row.id : row.root_id === null || row.root_id === row.id) {
    throw new CorruptRowError('comments', row.id, `root ${row.root_id ?? 'none'} does not fit depth ${depth}`);
  }
  return {
    id: row.id,
    threadId: row.thread_id,
    parentId: row.parent_id,
    depth,
    rootId: row.root_id ?? row.id,
    status: status.data,
    authorName: row.author_name,
    authorGuestId: row.author_guest_id,
    clientId: row.client_id,
    body: row.body,
    createdAt: requireTime('comments', row.id, 'created_at', row.created_at),
    editedAt: requireTime('comments', row.id, 'edited_at', row.edited_at),
    seq: requireInt('comments', row.id, 'seq', row.seq, 1),
    locked: requireFlag('comments', row.id, 'locked', row.locked ?? 0),
    pinned: requireFlag('comments', row.id, 'pinned', row.pinned ?? 0),
    heldReason: heldReason(row),
    likes: requireInt('comments', row.id, 'likes', row.likes ?? 0, 0),
    ...mentionsFromRow(row),
    ...pickFromRow(row),
    ...(row.answer_id != null && { answerId: row.answer_id }),
  };
}

export function commentToRow(comment: Comment): CommentRow {
  return {
    id: comment.id,
    thread_id: comment.threadId,
    parent_id: comment.parentId,
    depth: comment.depth,
    root_id: comment.rootId,
    status: comment.status,
    author_name: comment.authorName,
    author_guest_id: comment.authorGuestId,
    client_id: comment.clientId,
    body: comment.body,
    created_at: comment.createdAt,
    edited_at: comment.editedAt,
    seq: comment.seq,
    locked: comment.locked ? 1 : 0,
    pinned: comment.pinned ? 1 : 0,
    held_reason: comment.heldReason,
    likes: comment.likes,
    mentions: mentionsToJson(comment.mentions),
    pick_note: comment.pick?.note ?? null,
    picked_at: comment.pick?.at ?? null,
    answer_id: comment.answerId ?? null,
  };
}

const COMMENT_EVENTS = new Set<string>(['comment.created', 'comment.updated']);
const THREAD_EVENTS = new Set<string>(['thread.created', 'thread.updated']);

/**
 * A comment event's row points at its comment (read with its current state,
 * passed in as `comment`); a thread event's row carries its data as JSON.
 */
export function eventFromRow(row: ThreadEventRow, comment?: Comment): ThreadEvent {
  const id = `${row.thread_id}#${row.seq}`;
  const base = { threadId: row.thread_id, seq: requireInt('thread_events', id, 'seq', row.seq, 1), createdAt: row.created_at };
  if (COMMENT_EVENTS.has(row.type)) {
    if (!comment || comment.id !== row.comment_id) throw new CorruptRowError('thread_events', id, `comment ${row.comment_id ?? 'none'} is missing`);
    return { ...base, type: row.type as 'comment.created' | 'comment.updated', comment };
  }
  if (row.type === 'comment.liked') {
    // The count as it was then: replayed in order, the last one is the count now.
    const likes = (parsePayload(row.payload, id) as { likes?: unknown }).likes;
    if (row.comment_id === null) throw new CorruptRowError('thread_events', id, 'comment.liked has no comment');
    return { ...base, type: 'comment.liked', commentId: row.comment_id, likes: requireInt('thread_events', id, 'likes', likes, 0) };
  }
  if (!THREAD_EVENTS.has(row.type)) throw new CorruptRowError('thread_events', id, `unknown type ${row.type}`);
  const data = parsePayload(row.payload, id);
  const thread = (data as { thread?: unknown }).thread;
  if (typeof thread !== 'object' || thread === null) throw new CorruptRowError('thread_events', id, 'payload has no thread');
  if (row.type === 'thread.updated') {
    // Events written before slow mode and pre-moderation existed carry only the lock; before hiding (0013), no `hidden`; before 0031, no `closesAt`.
    return { ...base, type: 'thread.updated', thread: { slowModeSeconds: 0, preModeration: false, hidden: false, commentPolicy: null, qa: false, closesAt: null, ...(thread as { locked: boolean }) } };
  }
  return { ...base, type: row.type, thread } as ThreadEvent;
}

function parsePayload(payload: string, id: string): object {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    throw new CorruptRowError('thread_events', id, 'payload is not JSON');
  }
  if (typeof data !== 'object' || data === null) throw new CorruptRowError('thread_events', id, 'payload is not an object');
  return data;
}

export function eventToRow(event: ThreadEvent): ThreadEventRow {
  const row = { thread_id: event.threadId, seq: event.seq, type: event.type, created_at: event.createdAt };
  if (event.type === 'comment.liked') return { ...row, comment_id: event.commentId, payload: JSON.stringify({ likes: event.likes }) };
  if (event.type === 'comment.created' || event.type === 'comment.updated') return { ...row, comment_id: event.comment.id, payload: '{}' };
  return { ...row, comment_id: null, payload: JSON.stringify({ thread: event.thread }) };
}
