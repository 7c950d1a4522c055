'use client';

import { useEffect, useState } from 'react';
import { PulseSchema, type Pulse } from '../../../../lib/contract/pulse';
import { nextPollDelay, POLL_MS } from './figures';

export interface PulseState {
  figures: Pulse;
  /** Null while answers come; when the last answer failed, how long until the next try. */
  retryInMs: number | null;
}

/**
 * The dashboard's figures, kept fresh by asking `GET /api/moderation/pulse` every few seconds while the tab
 * is seen (never while hidden: it asks at once when seen again), backing off while the server does not
 * answer. A poll rather than a push: the figures change with time as well as with events (the hour moves
 * on), and docs/decisions.md ("The pulse: a poll") says why that is cheap enough.
 */
export function usePulse(initial: Pulse, query: string): PulseState {
  const [state, setState] = useState<PulseState>({ figures: initial, retryInMs: null });

  useEffect(() => {
    let delay = POLL_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let asking = false;

    const schedule = () => {
      clearTimeout(timer);
      if (!stopped && !document.hidden) timer = setTimeout(() => void ask(), delay);
    };
    const ask = async () => {
      if (asking || stopped) return;
      asking = true;
      let figures: Pulse | undefined;
      try {
        const res = await fetch(`/api/moderation/pulse${query}`, { credentials: 'same-origin', cache: 'no-store' });
        const parsed = res.ok ? PulseSchema.safeParse(await res.json()) : undefined;
        figures = parsed?.success ? parsed.data : undefined;
      } catch {
        figures = undefined;
      }
      asking = false;
      if (stopped) return;
      delay = nextPollDelay(delay, figures !== undefined);
      setState((was) => (figures ? { figures, retryInMs: null } : { figures: was.figures, retryInMs: delay }));
      schedule();
    };
    const onVisibility = () => (document.hidden ? clearTimeout(timer) : void ask());

    document.addEventListener('visibilitychange', onVisibility);
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [query]);

  return state;
}
