'use client';

import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch, type RefObject } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { CommentView, LikeResponse, SocketCreateComment, ThreadEventWire } from '../../../lib/contract/api';
import { EVENTS } from '../../../lib/contract/events';
import type { Ack, ClientToServerEvents, Failure, GuestIdentity, ServerToClientEvents } from '../../../lib/contract/socket';
import { speaksOurProtocol, welcomedIdentity } from '../../../lib/client/protocol';
import { GAP_GRACE_MS } from '../../../lib/client/seqOrder';
import { heard, missingFrom, type ThreadAction, type ThreadState } from '../../../lib/client/threadState';
import { arrived, expired, nextExpiry, signalled, writersByPlace, type Writers } from '../../../lib/client/typing';
import { isCatchUp } from '../../../lib/client/wireGuards';
import { clientError, serverApi, serverError, type ApiResult } from '../serverApi';
import { sharePageSocket } from './pageSocket';
import { reloadThread } from './threadLoading';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

type ThreadSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long "Someone is replying…" stays up after the last signal. */
const TYPING_SHOWN_MS = 6000;
/** Typing signals go out at most this often. */
const TYPING_SIGNAL_MS = 3000;
const ACK_TIMEOUT_MS = 10_000;

/**
 * A socket acknowledgement as the answer serverApi gives over HTTP: the data, the server's refusal
 * worded by its code, or `no_answer` when none came in time.
 */
async function fromAck<A extends Ack<object>, T>(pending: Promise<A>, data: (ack: Extract<A, { ok: true }>) => T): Promise<ApiResult<T>> {
  try {
    const res = await pending;
    return res.ok ? { ok: true, data: data(res as Extract<A, { ok: true }>) } : { ok: false, error: serverError((res as Failure).error) };
  } catch {
    return { ok: false, error: clientError('no_answer') };
  }
}

export interface ThreadConnection {
  status: ConnectionStatus;
  /** Open pages on this thread, or null before the first count. */
  reading: number | null;
  /** `top` or a comment id → how many others are writing a comment that will land there. */
  typing: Record<string, number>;
  /** Whether the server will know this reader again (edits, deletes): what the last welcome said. */
  identity: GuestIdentity;
  /** Catch-ups completed (after each connect, gap or sync): the page is up to date with the server as of the last. */
  synced: number;
  send(request: Omit<SocketCreateComment, 'slug'>): Promise<ApiResult<CommentView>>;
  /** "Writing at `parentId`", with the clientId the comment will be posted with (its arrival then ends the notice at once). */
  signalTyping(parentId: string | null, clientId?: string): void;
  /** Likes or unlikes: over the socket when it is up, else over HTTP (a repeat is harmless either way). */
  like(commentId: string, liked: boolean): Promise<ApiResult<LikeResponse>>;
}

/**
 * Keeps one page subscribed to its thread: applies live events in seq order,
 * and after any reconnect, wake from sleep, gap or `thread:sync` that shows it
 * is behind, asks for exactly what it missed (the last seq it applied). A
 * thread that is gone for this reader (deleted, or hidden and the reader not
 * staff: `gone`) is followed no more: the connection closes and stays closed.
 */
export function useThreadConnection(options: {
  slug: string;
  state: ThreadState;
  stateRef: RefObject<ThreadState>;
  dispatch: Dispatch<ThreadAction>;
  gone: boolean;
  /** False until the reader's own state is read (useReaderState): the handshake then carries their guest cookie. */
  enabled: boolean;
}): ThreadConnection {
  const { slug, stateRef, dispatch, gone, enabled } = options;
  const goneRef = useRef(gone);
  goneRef.current = gone;
  const socketRef = useRef<ThreadSocket | null>(null);
  const catchingUp = useRef(false);
  // The first catch-up brings what arrived while the page loaded: held back, so nothing moves (threadState.ts).
  const caughtUp = useRef(false);
  const lastTyping = useRef(0);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [reading, setReading] = useState<number | null>(null);
  const [identity, setIdentity] = useState<GuestIdentity>('lasting');
  const [writers, setWriters] = useState<Writers>([]);
  const [synced, setSynced] = useState(0);
  // A comment that arrives ends its writer's "Someone is replying…" (lib/client/typing.ts).
  const commentsArrived = useCallback((events: readonly ThreadEventWire[]) => {
    for (const event of events) {
      if (event.type === 'comment.created') setWriters((w) => arrived(w, { parentId: event.comment.parentId, clientId: event.clientId }));
    }
  }, []);

  const catchUp = useCallback(() => {
    const socket = socketRef.current;
    // An outdated page applies nothing more from this server: nothing to ask it.
    if (!socket?.connected || catchingUp.current || stateRef.current.outdated) return;
    catchingUp.current = true;
    // Paused, the page has heard more than it shows: it asks after what it heard (heard()), so nothing comes twice.
    socket.timeout(ACK_TIMEOUT_MS).emit(EVENTS.subscribe, { slug, afterSeq: heard(stateRef.current).seq }, (err, res) => {
      catchingUp.current = false;
      // Deleted, or hidden from this reader, while the page was away from it (the server does not say which).
      if (!err && !res.ok && res.error.code === 'thread_not_found') return dispatch({ type: 'removed' });
      if (err || !res.ok || !isCatchUp(res)) return;
      const first = !caughtUp.current;
      caughtUp.current = true;
      // A reload that fails (offline, say) leaves the page as it was; the next catch-up tries again.
      if (res.resync) {
        void reloadThread({ api: serverApi, slug, current: () => stateRef.current, dispatch }).then((done) => done && setSynced((n) => n + 1));
        return;
      }
      dispatch({ type: 'catch-up', catchUp: res, first });
      commentsArrived(res.missed);
      setSynced((n) => n + 1);
    });
  }, [slug, stateRef, dispatch, commentsArrived]);

  useEffect(() => {
    if (!enabled) return;
    // WebSocket first (no sticky sessions needed across nodes); long-polling if it is blocked.
    const socket: ThreadSocket = io({ transports: ['websocket', 'polling'], reconnectionDelayMax: 5000 });
    socketRef.current = socket;
    // The header's bell (a signed-in reader's) listens on this connection too.
    sharePageSocket(socket);

    socket.on('connect', () => {
      setStatus('live');
      catchUp();
    });
    // Every node greets each connection; after a reconnect it may be a newer one (a rolling deploy).
    socket.on(EVENTS.welcome, (info) => {
      if (!speaksOurProtocol(info)) dispatch({ type: 'outdated' });
      setIdentity(welcomedIdentity(info));
    });
    socket.on('disconnect', () => setStatus(navigator.onLine ? 'reconnecting' : 'offline'));
    socket.io.on('reconnect_attempt', () => setStatus(navigator.onLine ? 'reconnecting' : 'offline'));
    socket.on(EVENTS.threadEvent, (event) => {
      if (event.slug !== slug) return;
      dispatch({ type: 'event', event });
      commentsArrived([event]);
    });
    socket.on(EVENTS.sync, (notice) => {
      if (notice.slug === slug && notice.seq > heard(stateRef.current).seq) catchUp();
    });
    socket.on(EVENTS.deleted, (notice) => {
      if (notice.slug === slug) dispatch({ type: 'removed' });
    });
    socket.on(EVENTS.presence, (notice) => {
      if (notice.slug === slug) setReading(notice.reading);
    });
    socket.on(EVENTS.typingNotice, (signal) => {
      if (signal.slug !== slug) return;
      setWriters((w) => signalled(w, signal, Date.now() + TYPING_SHOWN_MS));
    });

    // A laptop waking from sleep: reconnect at once, or catch up if the socket survived.
    const onVisible = () => {
      if (document.visibilityState !== 'visible' || goneRef.current) return;
      if (socket.connected) catchUp();
      else socket.connect();
    };
    const onOnline = () => {
      if (goneRef.current) return;
      if (!socket.connected) return void socket.connect();
      // The socket outlived the outage: it is live again without a new 'connect'.
      setStatus('live');
      catchUp();
    };
    const onOffline = () => setStatus('offline');
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      socket.disconnect();
      socketRef.current = null;
    };
  }, [slug, stateRef, dispatch, catchUp, commentsArrived, enabled]);

  // Gone for this reader: nothing more to hear (the server may later give the slug to a new thread).
  useEffect(() => {
    if (!gone) return;
    socketRef.current?.disconnect();
    setStatus('offline');
  }, [gone]);

  // An event that arrived ahead of a gap: fetch the range in between, unless what is missing arrives on its own first.
  const gap = missingFrom(heard(options.state));
  useEffect(() => {
    if (gap === null) return;
    const timer = setTimeout(catchUp, GAP_GRACE_MS);
    return () => clearTimeout(timer);
  }, [gap, catchUp]);

  // Expire "Someone is replying…" notices of writers who stopped without posting.
  useEffect(() => {
    const next = nextExpiry(writers);
    if (next === null) return;
    const timer = setTimeout(() => setWriters((w) => expired(w, Date.now())), Math.max(0, next - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [writers]);
  const typing = useMemo(() => writersByPlace(writers), [writers]);

  const send = useCallback(
    async (request: Omit<SocketCreateComment, 'slug'>): Promise<ApiResult<CommentView>> => {
      const socket = socketRef.current;
      // No live connection: the same request over HTTP (same clientId, so a retry cannot post twice). A browser that
      // knows it is offline fails at once that way, where a socket that has not noticed yet would wait for its ack.
      if (!socket?.connected || !navigator.onLine) return serverApi.postComment(slug, request);
      return fromAck(socket.timeout(ACK_TIMEOUT_MS).emitWithAck(EVENTS.commentCreate, { slug, ...request }), (res) => res.comment);
    },
    [slug],
  );

  const signalTyping = useCallback(
    (parentId: string | null, clientId?: string) => {
      const now = Date.now();
      if (now - lastTyping.current < TYPING_SIGNAL_MS) return;
      lastTyping.current = now;
      socketRef.current?.emit(EVENTS.typing, { slug, parentId, ...(clientId !== undefined && { clientId }) });
    },
    [slug],
  );

  const like = useCallback(async (commentId: string, liked: boolean): Promise<ApiResult<LikeResponse>> => {
    const socket = socketRef.current;
    if (!socket?.connected) return serverApi.like(commentId, liked);
    return fromAck(socket.timeout(ACK_TIMEOUT_MS).emitWithAck(EVENTS.commentLike, { commentId, liked }), (res) => ({ likes: res.likes, liked: res.liked, changed: res.changed }));
  }, []);

  return { status, reading, typing, identity, synced, send, signalTyping, like };
}
