import type { Store } from '../store/store';
import { createCommentService, type CommentService } from './commentService';
import { createEventBus, type EventBus } from './eventBus';
import { createMemoryRateLimiter, unlimited, type RateLimiter } from './rateLimiter';
import { createThreadService, type ThreadService } from './threadService';

export type { PageComment, ThreadPage, ThreadService } from './threadService';
export type { CommentService } from './commentService';
export type { EventBus, PublishedEvent } from './eventBus';

/** Everything the HTTP API, the socket handlers and the pages call into. */
export interface Services {
  store: Store;
  bus: EventBus;
  threads: ThreadService;
  comments: CommentService;
  /** Signs and checks guest session cookies. */
  sessionSecret: string;
}

export interface ServicesOptions {
  store: Store;
  sessionSecret: string;
  /** False lifts the per-guest limits (load tests on a trusted network). */
  rateLimits?: boolean;
  postLimiter?: RateLimiter;
}

/** Posting limit per guest: a burst of conversation is fine, a flood is not. */
export const POSTS_PER_MINUTE = 10;

export function createServices(options: ServicesOptions): Services {
  const { store } = options;
  const bus = createEventBus({ onListenerError: (err) => console.error('[threadline] event listener failed:', err) });
  const postLimiter = options.postLimiter ?? (options.rateLimits === false ? unlimited : createMemoryRateLimiter({ points: POSTS_PER_MINUTE, durationMs: 60_000 }));
  return {
    store,
    bus,
    sessionSecret: options.sessionSecret,
    threads: createThreadService({ store }),
    comments: createCommentService({ store, bus, postLimiter }),
  };
}
