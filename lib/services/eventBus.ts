import type { ThreadEvent } from '../domain/events';

/** A committed change, with the slug its readers subscribe by. */
export interface PublishedEvent {
  slug: string;
  event: ThreadEvent;
}

/**
 * The domain publishes every committed change here; listeners (the socket
 * fan-out, later webhooks) map them to rooms and channels. Publishing never
 * throws into the service: a failing listener is reported and skipped.
 */
export interface EventBus {
  publish(published: PublishedEvent): void;
  subscribe(listener: (published: PublishedEvent) => void): () => void;
}

export function createEventBus(options: { onListenerError?: (err: unknown) => void } = {}): EventBus {
  const listeners = new Set<(published: PublishedEvent) => void>();
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
