'use client';

import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { QueueItem } from '../../../lib/contract/api';
import { EVENTS } from '../../../lib/contract/events';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../lib/contract/socket';
import { errorMessage } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';

export type DeskConnection = 'connecting' | 'live' | 'reconnecting';

function sortItems(items: QueueItem[]): QueueItem[] {
  return [...items].sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
}

/**
 * The moderators' live queue, newest first, followed over the socket: every desk hears every
 * change, so a decision taken at one desk shows at the others at once. `onProblem` is told why
 * the queue could not be followed.
 */
export function useModerationQueue(initialItems: QueueItem[], onProblem: (message: string) => void) {
  const t = useTranslator();
  const [items, setItems] = useState(() => sortItems(initialItems));
  const [status, setStatus] = useState<DeskConnection>('connecting');
  const [now, setNow] = useState<number | null>(null);

  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket', 'polling'] });
    socket.on('connect', () => {
      // (Re)subscribing returns the whole queue: whatever changed while disconnected is included.
      socket.emit(EVENTS.moderationSubscribe, (res) => {
        if (res.ok) {
          setItems(sortItems(res.items));
          setStatus('live');
        } else onProblem(errorMessage(t, res.error));
      });
    });
    socket.on('disconnect', () => setStatus('reconnecting'));
    socket.on(EVENTS.moderationQueue, ({ commentId, item }) => {
      setItems((current) => sortItems([...current.filter((i) => i.comment.id !== commentId), ...(item ? [item] : [])]));
    });
    return () => {
      clearInterval(timer);
      socket.disconnect();
    };
  }, [t, onProblem]);

  /** Takes an item out at once (handled at another desk, or gone), before the socket says so. */
  const drop = (commentId: string) => setItems((current) => current.filter((i) => i.comment.id !== commentId));

  return { items, status, now, drop };
}
