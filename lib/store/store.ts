import type { ThreadEvent } from '../domain/events';
import type { Comment, CommentStatus, Thread, ThreadWithCount } from '../domain/types';

/** A comment to import: `key`/`parentKey` link comments within one import. */
export interface ImportedComment {
  key: number;
  parentKey: number | null;
  depth: number;
  status: CommentStatus;
  authorName: string | null;
  body: string;
  createdAt: string | null;
}

export interface ImportThreadRequest {
  /** Identifies the origin (e.g. `seed:000_x.txt`): importing the same source twice changes nothing. */
  source: string;
  /** The preferred slug; `-2`, `-3`… is appended when another thread has it. */
  slug: string;
  title: string;
  article: string;
  locked: boolean;
  /** Parents before children. */
  comments: readonly ImportedComment[];
}

export interface ImportThreadResult {
  thread: Thread;
  /** False when the source had already been imported. */
  created: boolean;
}

export interface CreateThreadRequest {
  slug: string;
  title: string;
  article?: string;
  locked?: boolean;
}

export interface EventsAfterRequest {
  threadId: string;
  afterSeq: number;
  limit?: number;
}

/**
 * The system of record. Every change to a thread happens in one transaction
 * together with its event, which takes the thread's next `seq`.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies any pending migrations. Safe to call from several nodes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  countThreads(): Promise<number>;
  listThreads(): Promise<ThreadWithCount[]>;
  findThreadBySlug(slug: string): Promise<ThreadWithCount | undefined>;
  listComments(request: { threadId: string }): Promise<Comment[]>;
  findComment(request: { threadId: string; id: string }): Promise<Comment | undefined>;
  eventsAfter(request: EventsAfterRequest): Promise<ThreadEvent[]>;

  createThread(request: CreateThreadRequest): Promise<Thread>;
  importThread(request: ImportThreadRequest): Promise<ImportThreadResult>;
}
