import { CommentStatusSchema } from '../contract/api';
import type { Comment, Thread } from '../domain/types';
import type { ThreadEvent, ThreadEventData } from '../domain/events';
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

export function threadFromRow(row: ThreadRow): Thread {
  const locked = requireInt('threads', row.id, 'locked', row.locked, 0);
  if (locked > 1) throw new CorruptRowError('threads', row.id, `locked must be 0 or 1, got ${locked}`);
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    article: row.article,
    locked: locked === 1,
    seq: requireInt('threads', row.id, 'seq', row.seq, 0),
    source: row.source,
    createdAt: requireTime('threads', row.id, 'created_at', row.created_at) ?? row.created_at,
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
  };
}

export function commentFromRow(row: CommentRow): Comment {
  const status = CommentStatusSchema.safeParse(row.status);
  if (!status.success) throw new CorruptRowError('comments', row.id, `unknown status ${row.status}`);
  const depth = requireInt('comments', row.id, 'depth', row.depth, 1);
  if ((row.parent_id === null) !== (depth === 1)) {
    throw new CorruptRowError('comments', row.id, `depth ${depth} does not match parent ${row.parent_id ?? 'none'}`);
  }
  return {
    id: row.id,
    threadId: row.thread_id,
    parentId: row.parent_id,
    depth,
    status: status.data,
    authorName: row.author_name,
    body: row.body,
    createdAt: requireTime('comments', row.id, 'created_at', row.created_at),
    seq: requireInt('comments', row.id, 'seq', row.seq, 1),
  };
}

export function commentToRow(comment: Comment): CommentRow {
  return {
    id: comment.id,
    thread_id: comment.threadId,
    parent_id: comment.parentId,
    depth: comment.depth,
    status: comment.status,
    author_name: comment.authorName,
    body: comment.body,
    created_at: comment.createdAt,
    seq: comment.seq,
  };
}

const EVENT_TYPES = new Set<string>(['thread.created', 'comment.created', 'thread.updated']);

export function eventFromRow(row: ThreadEventRow): ThreadEvent {
  const id = `${row.thread_id}#${row.seq}`;
  if (!EVENT_TYPES.has(row.type)) throw new CorruptRowError('thread_events', id, `unknown type ${row.type}`);
  let data: unknown;
  try {
    data = JSON.parse(row.payload);
  } catch {
    throw new CorruptRowError('thread_events', id, 'payload is not JSON');
  }
  if (typeof data !== 'object' || data === null) throw new CorruptRowError('thread_events', id, 'payload is not an object');
  return {
    ...(data as Omit<ThreadEventData, 'type'>),
    type: row.type,
    threadId: row.thread_id,
    seq: requireInt('thread_events', id, 'seq', row.seq, 1),
    createdAt: row.created_at,
  } as ThreadEvent;
}

export function eventToRow(event: ThreadEvent): ThreadEventRow {
  const { type, threadId, seq, createdAt, ...data } = event;
  return { thread_id: threadId, seq, type, payload: JSON.stringify(data), created_at: createdAt };
}
