import type { Comment } from './types';

/**
 * Every change to a thread is one of these, numbered by the thread's own `seq`
 * and committed in the same transaction as the change itself.
 */
export type ThreadEventData =
  | { type: 'thread.created'; thread: { slug: string; title: string; locked: boolean } }
  | { type: 'comment.created'; comment: Comment }
  | { type: 'thread.updated'; thread: { locked: boolean } };

export type ThreadEventType = ThreadEventData['type'];

export type ThreadEvent = ThreadEventData & {
  threadId: string;
  seq: number;
  createdAt: string;
};
