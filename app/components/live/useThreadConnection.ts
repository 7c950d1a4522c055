'use client';

import { useCallback, useEffect, useRef, useState, type Dispatch, type RefObject } from 'react';
import { io, type Socket } from 'socket.io-client';
import { LikeResponseSchema, ThreadResponseSchema, type CommentView, type LikeResponse, type SocketCreateComment } from '../../../lib/contract/api';
import type { ErrorBody } from '../../../lib/contract/errors';
import { EVENTS, type ClientToServerEvents, type ServerToClientEvents } from '../../../lib/contract/socket';
import { missingFrom, type ThreadAction, type ThreadState } from '../../../lib/client/threadState';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

type ThreadSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long "Someone is replying…" stays up after the last signal. */
const TYPING_SHOWN_MS = 6000;
/** Typing signals go out at most this often. */
const TYPING_SIGNAL_MS = 3000;
const ACK_TIMEOUT_MS = 10_000;

export type SendResult = { ok: true; comment: CommentView } | { ok: false; error: ErrorBody };
export type LikeResult = ({ ok: true } & LikeResponse) | { ok: false; error: ErrorBody };

export interface ThreadConnection {
  status: ConnectionStatus;
  /** Open pages on this thread, or null before the first count. */
  reading: number | null;
  /** `top` or a comment id → until when someone is replying there. */
  typing: Record<string, number>;
  send(request: Omit<SocketCreateComment, 'slug'>): Promise<SendResult>;
  signalTyping(parentId: string | null): void;
  /** Likes or unlikes: over the socket when it is up, else over HTTP (a repeat is harmless either way). */
  like(commentId: string, liked: boolean): Promise<LikeResult>;
}

const offlineError = (message: string): ErrorBody => ({ code: 'unavailable', message });

/**
 * Keeps one page subscribed to its thread: applies live events in seq order,
 * and after any reconnect, wake from sleep, gap or `thread:sync` that shows it
 * is behind, asks for exactly what it missed (the last seq it applied).
 */
export function useThreadConnection(options: {
  slug: string;
  state: ThreadState;
  stateRef: RefObject<ThreadState>;
  dispatch: Dispatch<ThreadAction>;
}): ThreadConnection {
  const { slug, stateRef, dispatch } = options;
  const socketRef = useRef<ThreadSocket | null>(null);
  const catchingUp = useRef(false);
  const lastTyping = useRef(0);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [reading, setReading] = useState<number | null>(null);
  const [typing, setTyping] = useState<Record<string, number>>({});

  const resync = useCallback(async () => {
    // The first page again, in the reader's order: a page that fell this far behind starts over.
    const res = await fetch(`/api/threads/${slug}?sort=${stateRef.current.sort}`, { headers: { accept: 'application/json' } });
    if (!res.ok) return;
    const { thread, comments, nextCursor } = ThreadResponseSchema.parse(await res.json());
    const settings = { locked: thread.locked, slowModeSeconds: thread.slowModeSeconds, preModeration: thread.preModeration };
    dispatch({ type: 'replace', seq: thread.seq, settings, comments, nextCursor, total: thread.commentCount });
  }, [slug, stateRef, dispatch]);

  const catchUp = useCallback(() => {
    const socket = socketRef.current;
    if (!socket?.connected || catchingUp.current) return;
    catchingUp.current = true;
    socket.timeout(ACK_TIMEOUT_MS).emit(EVENTS.subscribe, { slug, afterSeq: stateRef.current.seq }, (err, res) => {
      catchingUp.current = false;
      if (err || !res.ok) return;
      if (res.resync) void resync();
      else dispatch({ type: 'catch-up', catchUp: res });
    });
  }, [slug, stateRef, dispatch, resync]);

  useEffect(() => {
    // WebSocket first (no sticky sessions needed across nodes); long-polling if it is blocked.
    const socket: ThreadSocket = io({ transports: ['websocket', 'polling'], reconnectionDelayMax: 5000 });
    socketRef.current = socket;

    socket.on('connect', () => {
      setStatus('live');
      catchUp();
    });
    socket.on('disconnect', () => setStatus(navigator.onLine ? 'reconnecting' : 'offline'));
    socket.io.on('reconnect_attempt', () => setStatus(navigator.onLine ? 'reconnecting' : 'offline'));
    socket.on(EVENTS.threadEvent, (event) => {
      if (event.slug === slug) dispatch({ type: 'event', event });
    });
    socket.on(EVENTS.sync, (notice) => {
      if (notice.slug === slug && notice.seq > stateRef.current.seq) catchUp();
    });
    socket.on(EVENTS.presence, (notice) => {
      if (notice.slug === slug) setReading(notice.reading);
    });
    socket.on(EVENTS.typingNotice, (signal) => {
      if (signal.slug !== slug) return;
      setTyping((t) => ({ ...t, [signal.parentId ?? 'top']: Date.now() + TYPING_SHOWN_MS }));
    });

    // A laptop waking from sleep: reconnect at once, or catch up if the socket survived.
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      if (socket.connected) catchUp();
      else socket.connect();
    };
    const onOnline = () => (socket.connected ? catchUp() : socket.connect());
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
  }, [slug, stateRef, dispatch, catchUp]);

  // An event that arrived ahead of a gap: fetch the range in between.
  const gap = missingFrom(options.state);
  useEffect(() => {
    if (gap !== null) catchUp();
  }, [gap, catchUp]);

  // Expire "Someone is replying…" notices.
  useEffect(() => {
    const keys = Object.keys(typing);
    if (keys.length === 0) return;
    const next = Math.min(...Object.values(typing));
    const timer = setTimeout(() => {
      const now = Date.now();
      setTyping((t) => Object.fromEntries(Object.entries(t).filter(([, until]) => until > now)));
    }, Math.max(0, next - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [typing]);

  const send = useCallback(
    async (request: Omit<SocketCreateComment, 'slug'>): Promise<SendResult> => {
      const socket = socketRef.current;
      if (socket?.connected) {
        try {
          const res = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(EVENTS.commentCreate, { slug, ...request });
          return res.ok ? { ok: true, comment: res.comment } : { ok: false, error: res.error };
        } catch {
          return { ok: false, error: offlineError('No answer from the server. Check your connection and retry.') };
        }
      }
      // No live connection: the same request over HTTP (same clientId, so a retry cannot post twice).
      try {
        const res = await fetch(`/api/threads/${slug}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request),
        });
        const json = (await res.json()) as { comment?: CommentView; error?: ErrorBody };
        if (res.ok && json.comment) return { ok: true, comment: json.comment };
        return { ok: false, error: json.error ?? offlineError('The comment could not be sent.') };
      } catch {
        return { ok: false, error: offlineError('You are offline. Your comment is kept; retry when you are back.') };
      }
    },
    [slug],
  );

  const signalTyping = useCallback(
    (parentId: string | null) => {
      const now = Date.now();
      if (now - lastTyping.current < TYPING_SIGNAL_MS) return;
      lastTyping.current = now;
      socketRef.current?.emit(EVENTS.typing, { slug, parentId });
    },
    [slug],
  );

  const like = useCallback(async (commentId: string, liked: boolean): Promise<LikeResult> => {
    const socket = socketRef.current;
    if (socket?.connected) {
      try {
        return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(EVENTS.commentLike, { commentId, liked });
      } catch {
        return { ok: false, error: offlineError('No answer from the server. Check your connection and try again.') };
      }
    }
    try {
      const res = await fetch(`/api/comments/${commentId}/like`, { method: liked ? 'PUT' : 'DELETE' });
      const json = (await res.json()) as unknown;
      const parsed = LikeResponseSchema.safeParse(json);
      if (res.ok && parsed.success) return { ok: true, ...parsed.data };
      return { ok: false, error: (json as { error?: ErrorBody }).error ?? offlineError('That did not work.') };
    } catch {
      return { ok: false, error: offlineError('You are offline; try again when you are back.') };
    }
  }, []);

  return { status, reading, typing, send, signalTyping, like };
}
