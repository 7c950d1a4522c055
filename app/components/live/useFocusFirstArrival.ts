'use client';

import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

const COMMENTS = 'article.comment[data-comment-id]';

/**
 * Keeps the reader's place across "More comments": once the page is in,
 * focus goes to the first comment it brought, which sits where the button
 * was, so nothing on screen moves, a screen reader reads on from there, and
 * `j` continues with the comment after it. Left alone when the reader has
 * moved focus elsewhere meanwhile (into the comment box, say).
 *
 * `before()` is called as the load starts, `arrived()` once it succeeded.
 */
export function useFocusFirstArrival(trigger: RefObject<HTMLElement | null>): { before(): void; arrived(): void } {
  const known = useRef<Set<string> | null>(null);
  const [arrivals, setArrivals] = useState(0);

  // After the commit that holds the new comments (dispatched before `arrived`, so rendered with it at the latest).
  useLayoutEffect(() => {
    const had = known.current;
    known.current = null;
    if (arrivals === 0 || had === null) return;
    const active = document.activeElement;
    if (active !== null && active !== document.body && active !== trigger.current) return;
    const first = Array.from(document.querySelectorAll<HTMLElement>(COMMENTS)).find((el) => !had.has(el.dataset.commentId!));
    first?.focus({ preventScroll: true });
  }, [arrivals, trigger]);

  return {
    before: useCallback(() => {
      known.current = new Set(Array.from(document.querySelectorAll<HTMLElement>(COMMENTS), (el) => el.dataset.commentId!));
    }, []),
    arrived: useCallback(() => setArrivals((n) => n + 1), []),
  };
}
