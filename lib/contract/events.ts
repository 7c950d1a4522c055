/**
 * The protocol's version and its event names, free of zod (like ./reports.ts): the page's
 * connection needs them, not the schemas of ./socket.ts, which are built on them.
 */

/** Bumped when a change to these maps would break an older client. */
export const PROTOCOL_VERSION = 1;

/** What a client sends, by short name → wire name (`entity:verb`). Protocol: docs/protocol.md. */
export const CLIENT_EVENTS = {
  hello: 'server:hello',
  subscribe: 'thread:subscribe',
  unsubscribe: 'thread:unsubscribe',
  commentCreate: 'comment:create',
  commentLike: 'comment:like',
  typing: 'comment:typing',
  moderationSubscribe: 'moderation:subscribe',
  moderationAct: 'moderation:act',
} as const;

/** What the server sends. */
export const SERVER_EVENTS = {
  welcome: 'server:welcome',
  threadEvent: 'thread:event',
  presence: 'thread:presence',
  typingNotice: 'thread:typing',
  sync: 'thread:sync',
  deleted: 'thread:deleted',
  moderationQueue: 'moderation:queue',
  /** To a signed-in person's sockets: their bell's unread count, and the notice that arrived (issue 17). */
  notificationsChanged: 'notifications:changed',
  /** To staff sockets: how many comments wait on the desk (throttled). */
  queueCount: 'moderation:count',
} as const;

/** Every event name, spelled once: the Socket.IO event maps of ./socket.ts are derived from these two lists. */
export const EVENTS = { ...CLIENT_EVENTS, ...SERVER_EVENTS } as const;
