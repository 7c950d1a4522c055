'use client';

import { createContext, useCallback, useContext } from 'react';

/**
 * Taking the reader to a comment (what arrived, a reply to them): the folds
 * around it opened, focus on it (so the keyboard's place is there too), and
 * it on screen. How it comes on screen depends on where the discussion is:
 * the article page scrolls itself; the embed's frame never scrolls, so there
 * the host page does (EmbedFrame provides that).
 */
export type BringOnScreen = (element: HTMLElement) => void;

/** A comment scrolled to sits below the pill's place (`scroll-margin-top` in app/globals.css). */
export const scrollPageTo: BringOnScreen = (element) => element.scrollIntoView({ block: 'start' });

export const OnScreenContext = createContext<BringOnScreen>(scrollPageTo);

/**
 * The comment's element, with every branch folded around it opened on the way
 * (each fold's toggle tells the thread as a reader's click would); null when
 * it is not on the page.
 */
export function unfoldComment(id: string): HTMLElement | null {
  const element = document.getElementById(`c-${id}`);
  for (let fold = element?.parentElement?.closest('details'); fold; fold = fold.parentElement?.closest('details')) fold.open = true;
  return element;
}

/** Unfolds the comment and gives it focus, where it is: whoever called says how it comes on screen. */
export function focusComment(id: string): HTMLElement | null {
  const element = unfoldComment(id);
  element?.focus({ preventScroll: true });
  return element;
}

/** Takes the reader to a comment on the page (unfolded, focused, on screen); false when it is not on the page. */
export function useGoToComment(): (id: string) => boolean {
  const bring = useContext(OnScreenContext);
  return useCallback(
    (id: string) => {
      const element = focusComment(id);
      if (element) bring(element);
      return element !== null;
    },
    [bring],
  );
}
