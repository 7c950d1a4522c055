import type { ThreadEvent } from '../domain/events';
import type { Notification } from '../domain/notifications';

/** A committed change, with the slug its readers subscribe by. */
export interface PublishedEvent {
  slug: string;
  event: ThreadEvent;
  /**
   * A `comment.created`'s parent's author as its post read it (null: none, or a guest's), for the
   * notifier on the node that committed it; absent when not known. Never sent to readers.
   */
  parentAuthorId?: string | null;
  /**
   * A `comment.created`'s notices, when the store kept them in the post's transaction (SQLite): the notifier
   * only delivers them. Absent: the notifier keeps them itself, after the commit. Never sent to readers.
   */
  notices?: Notification[];
}

/**
 * The domain publishes every committed change here; listeners (the socket
 * fan-out, later webhooks) map them to rooms and channels. Publishing never
 * throws into the service: a failing listener is reported and skipped.
 */
export interface EventBus<T = PublishedEvent> {
  publish(published: T): void;
  subscribe(listener: (published: T) => void): () => void;
}

export function createEventBus<T = PublishedEvent>(options: { onListenerError?: (err: unknown) => void } = {}): EventBus<T> {
  const listeners = new Set<(published: T) => void>();
  return {
    publish(published) {
      for (const listener of listeners) {
        try {
          listener(published);
        } catch (err) {
          options.onListenerError?.(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
