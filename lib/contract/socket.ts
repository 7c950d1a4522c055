import { z } from './zod';
import { ClientIdSchema, CommentIdSchema, PickNoteSchema, ReasonSchema, SeqSchema, SlugSchema, type CatchUp, type CommentView, type LikeResponse, type QueueItem, type SocketCreateComment, type ThreadDetail, type ThreadEventWire } from './api';
import type { ErrorBody } from './errors';
import type { NotificationsChanged, QueueCountNotice } from './notifications';
import type { CLIENT_EVENTS, SERVER_EVENTS } from './events';

export { PROTOCOL_VERSION, EVENTS } from './events';

/** The Socket.IO room of one thread. */
export function threadRoom(slug: string): string {
  return `thread:${slug}`;
}

/** Whether a room is a thread's (as opposed to the moderators', an account's or a session's). */
export function isThreadRoom(room: string): boolean {
  return room.startsWith(threadRoom(''));
}

/** Where moderators' desks hear about the queue. */
export function moderationRoom(): string {
  return 'moderation';
}

/** Every signed-in staff member's sockets: what follows a hidden thread may stay in its room (server/realtime/fanout.ts). */
export function staffRoom(): string {
  return 'staff';
}

/** Every socket of one signed-in account, and of one session: revoking either disconnects them, on every node. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * Every moderator's action on a comment, the one list: the socket's `moderation:act`, the HTTP routes
 * (`POST /api/comments/:id/<action>`), their documentation and the service's rules all derive from it.
 */
export const COMMENT_ACTIONS = [
  'remove',
  'unremove',
  'restore',
  'pin',
  'unpin',
  'approve',
  'reject',
  'lock',
  'unlock',
  // Q&A (lib/domain/questions.ts): this reply is its question's answer, or no longer is.
  'answer',
  'unanswer',
] as const;
export type CommentAction = (typeof COMMENT_ACTIONS)[number];

/** A thread's lock and unlock (`POST /api/threads/:slug/<action>`, or `moderation:act` with a slug). */
export const THREAD_ACTIONS = ['lock', 'unlock'] as const;
export type ThreadAction = (typeof THREAD_ACTIONS)[number];

/** `moderation:act`: a moderator's action on a comment, or a thread's lock. */
export const ModerationActSchema = z.union([
  z.strictObject({ commentId: CommentIdSchema, action: z.enum(COMMENT_ACTIONS), reason: ReasonSchema.optional(), note: PickNoteSchema.optional() }),
  z.strictObject({ slug: SlugSchema, action: z.enum(THREAD_ACTIONS), reason: ReasonSchema.optional() }),
]);
export type ModerationAct = z.infer<typeof ModerationActSchema>;

export interface QueueChangeNotice {
  commentId: string;
  /** The item as it now is, or null when it left the queue. */
  item: QueueItem | null;
}

export interface ServerInfo {
  name: 'threadline';
  protocol: number;
  time: string;
}

/**
 * How long a connection's guest identity lasts. `lasting`: the handshake carried the reader's
 * guest cookie, so what they post stays theirs (editable, deletable) on later pages and
 * connections. `connection`: it carried none (a cross-site frame in a browser that keeps no
 * cookie there, or cookies turned off): the guest was made for this connection, and the
 * reader's later requests (an edit over HTTP, the next connection) will be someone else.
 */
export type GuestIdentity = 'lasting' | 'connection';

/** `server:welcome`: the node, and this connection's identity. */
export interface Welcome extends ServerInfo {
  identity: GuestIdentity;
}

export type Failure = { ok: false; error: ErrorBody };
/** Every acknowledgement: the handler did the thing (with its data) or says why not. */
export type Ack<T extends object> = ({ ok: true } & T) | Failure;

export type SubscribeAck = Ack<CatchUp>;
export type CreateCommentAck = Ack<{ comment: CommentView }>;

export type LikeAck = Ack<LikeResponse>;

/** `comment:like`: like (`liked: true`) or take the like back. */
export const LikeRequestSchema = z.strictObject({ commentId: CommentIdSchema, liked: z.boolean({ error: 'must be true or false' }) });
export type LikeRequest = z.infer<typeof LikeRequestSchema>;

export const SubscribeRequestSchema = z.strictObject({
  slug: SlugSchema,
  /** The last seq the client applied; omitted means "send nothing missed". */
  afterSeq: SeqSchema.optional(),
});
export type SubscribeRequest = z.infer<typeof SubscribeRequestSchema>;

export const UnsubscribeRequestSchema = z.strictObject({ slug: SlugSchema });

export const TypingSignalSchema = z.strictObject({
  slug: SlugSchema,
  /** The comment being answered; null for a new top-level comment. */
  parentId: CommentIdSchema.nullable(),
  /**
   * The clientId the comment will be posted with: its `comment.created` event carries the same, so
   * other pages end this writer's notice the moment the comment arrives. Optional: older pages omit it.
   */
  clientId: ClientIdSchema.optional(),
});
export type TypingSignal = z.infer<typeof TypingSignalSchema>;

/** The thread's latest seq, sent now and then: a reader behind it fetches what it missed (a dropped message, say). */
export interface SyncNotice {
  slug: string;
  seq: number;
}

/**
 * `thread:deleted`: an admin deleted the thread. Sent to its room on every node; there is no seq to
 * carry it (the thread's events are gone with it), so a page that missed it learns it on its next
 * catch-up (`thread_not_found`). Its slug may later name a new thread: a page told stops following it.
 */
export interface DeletedNotice {
  slug: string;
}

export interface PresenceNotice {
  slug: string;
  /** Open pages on this thread, across all nodes. */
  reading: number;
}

/** What each client event carries, by its short name in CLIENT_EVENTS (the ack last). */
interface ClientEventSignatures {
  hello: (ack: (res: Ack<{ data: ServerInfo }>) => void) => void;
  subscribe: (request: SubscribeRequest, ack: (res: SubscribeAck) => void) => void;
  unsubscribe: (request: { slug: string }, ack?: (res: Ack<object>) => void) => void;
  commentCreate: (request: SocketCreateComment, ack: (res: CreateCommentAck) => void) => void;
  commentLike: (request: LikeRequest, ack: (res: LikeAck) => void) => void;
  typing: (signal: TypingSignal) => void;
  moderationSubscribe: (ack: (res: Ack<{ items: QueueItem[] }>) => void) => void;
  moderationAct: (request: ModerationAct, ack: (res: Ack<{ comment?: CommentView; thread?: ThreadDetail }>) => void) => void;
}

/** What each server event carries, by its short name in SERVER_EVENTS. */
interface ServerEventSignatures {
  welcome: (info: Welcome) => void;
  threadEvent: (event: ThreadEventWire) => void;
  presence: (notice: PresenceNotice) => void;
  typingNotice: (signal: TypingSignal) => void;
  sync: (notice: SyncNotice) => void;
  deleted: (notice: DeletedNotice) => void;
  moderationQueue: (change: QueueChangeNotice) => void;
  notificationsChanged: (change: NotificationsChanged) => void;
  queueCount: (notice: QueueCountNotice) => void;
}

/** A Socket.IO event map keyed by wire name; a short name without a signature, or a signature without a name, does not compile. */
type EventMap<Names extends Record<keyof Signatures, string>, Signatures extends Record<keyof Names, unknown>> = { [K in keyof Names & keyof Signatures as Names[K]]: Signatures[K] };

/** Events a client sends. */
export type ClientToServerEvents = EventMap<typeof CLIENT_EVENTS, ClientEventSignatures>;

/** Events the server sends. */
export type ServerToClientEvents = EventMap<typeof SERVER_EVENTS, ServerEventSignatures>;

/** Between nodes (through the Redis adapter). */
export interface InterServerEvents {
  'presence:count': (report: { node: string; slug: string; count: number }) => void;
}

export interface SocketData {
  /** The guest identity from the signed session cookie, or one made for this connection. */
  guestId: string;
  /** Whether guestId came with the handshake's cookie (see GuestIdentity). */
  guestIdentity: GuestIdentity;
  /** The key of the client address the handshake came from (lib/domain/addressKey.ts): what the per-address budgets count. */
  address: string;
  /** The moderator's session token when the connection was opened signed in; rights are re-checked on every use. */
  staffToken?: string;
  /** The account's and session's rooms, when the handshake's session check passed. */
  staffRooms?: string[];
}
