'use client';

import { useEffect, useRef, useState } from 'react';
import { expiresAt, noteSeen, replyGroup, restartClock, type ReplyGroup } from '../../../lib/client/replyNotices';
import type { ReplyToMe } from '../../../lib/client/threadState';

/**
 * The replies to this reader as one notice (lib/client/replyNotices.ts), and
 * its clock: left alone it goes a while after its newest reply; if that time
 * comes while the page is hidden, it starts over when the reader is back.
 */
export function useReplyNotices(replies: readonly ReplyToMe[], dismiss: (id: string) => void): ReplyGroup | null {
  const [seenAt, setSeenAt] = useState<Readonly<Record<string, number>>>({});
  const dismissRef = useRef(dismiss);
  dismissRef.current = dismiss;

  useEffect(() => setSeenAt((s) => noteSeen(s, replies, Date.now())), [replies]);

  useEffect(() => {
    const at = expiresAt(replies, seenAt);
    if (at === null) return;
    const onShown = () => {
      if (document.visibilityState === 'visible') setSeenAt(restartClock(replies, Date.now()));
    };
    const timer = setTimeout(() => {
      if (document.visibilityState === 'hidden') document.addEventListener('visibilitychange', onShown);
      else for (const r of replies) dismissRef.current(r.id);
    }, Math.max(0, at - Date.now()));
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onShown);
    };
  }, [replies, seenAt]);

  return replyGroup(replies);
}
