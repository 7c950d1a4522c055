'use client';

import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Every comment on the page a reader can see now (not inside a folded branch), in document order. */
function commentElements(): HTMLElement[] {
  // Inside a closed <details> (a folded branch) a comment still has boxes in Chromium: ask the DOM instead.
  return Array.from(document.querySelectorAll<HTMLElement>('article.comment[data-comment-id]')).filter((el) => el.parentElement?.closest('details:not([open])') == null);
}

function commentOf(node: EventTarget | null): HTMLElement | null {
  return node instanceof Element ? node.closest<HTMLElement>('article.comment[data-comment-id]') : null;
}

/** Keys typed into a field are text, never shortcuts. */
function typingIn(node: EventTarget | null): boolean {
  if (!(node instanceof HTMLElement)) return false;
  return node.isContentEditable || node.matches('input, textarea, select');
}

function focusComment(el: HTMLElement): void {
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'nearest' });
}

/**
 * Where `j`/`k` start when focus is on no comment. Beside the control in
 * focus (the "More comments" button, the comment box): the next comment after
 * it for `j`, the one before for `k`. With focus nowhere (the reader clicked
 * the page or scrolled), the first comment on screen: never comment #1 far
 * above what the reader is looking at.
 */
function entryComment(all: HTMLElement[], active: Element | null, forward: boolean): HTMLElement {
  if (active && active !== document.body && active !== document.documentElement) {
    const after = all.findIndex((el) => (active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);
    const before = (after === -1 ? all.length : after) - 1;
    if (forward) return all[after === -1 ? before : after]!;
    return all[before === -1 ? 0 : before]!;
  }
  return all.find((el) => el.getBoundingClientRect().top >= 0) ?? all.at(-1)!;
}

/**
 * Keyboard reading of the discussion: `j`/`k` move between comments in
 * document order (replies included, folded branches skipped), `r` opens the
 * reply box of the comment in focus, `Escape` closes it and goes back to the
 * comment. Plain keys only, and never while typing.
 *
 * Also keeps focus where it was when the thread changes under it: React keeps
 * the focused comment's element across re-renders and live inserts; when that
 * comment leaves the page (deleted, removed), focus moves to its neighbour
 * instead of falling back to the top of the page.
 *
 * Returns the id of the comment that holds focus (the roving tab stop).
 */
export function useCommentKeys(options: { enabled: boolean; replyTo: string | null; setReplyTo(id: string | null): void; version: unknown }): string | null {
  const { enabled, setReplyTo } = options;
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const focusedRef = useRef<string | null>(null);
  const replyToRef = useRef(options.replyTo);
  replyToRef.current = options.replyTo;
  const order = useRef<string[]>([]);
  // Where the comment holding focus was on screen after the last render or scroll: the next render keeps it there.
  const focusedTop = useRef<number | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const onFocusIn = (e: FocusEvent) => {
      const id = commentOf(e.target)?.dataset.commentId ?? null;
      if (id === null) return;
      focusedRef.current = id;
      focusedTop.current = commentOf(e.target)!.getBoundingClientRect().top;
      setFocusedId(id);
    };
    // Focus the reader moved away themselves (to the form, or by clicking the page) is theirs: not restored later.
    // A control that left the page with its comment (deleted, re-rendered) is not connected any more: restored.
    // Decided once focus has settled: a dialog (confirm, prompt) or another window blurs the page without moving focus.
    const onFocusOut = (e: FocusEvent) => {
      const left = e.target;
      setTimeout(() => {
        if (left instanceof Node && left.isConnected && commentOf(document.activeElement) === null) focusedRef.current = null;
      }, 0);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Escape') {
        const open = replyToRef.current;
        if (open === null) return;
        const form = e.target instanceof Element ? e.target.closest('form.comment-form') : null;
        // Escape in the reply box of `open`, or anywhere outside a field.
        if (form ? form.id !== `reply-${open}` : typingIn(e.target)) return;
        e.preventDefault();
        const el = document.querySelector<HTMLElement>(`article.comment[data-comment-id="${CSS.escape(open)}"]`);
        // Focus leaves the box before it goes, so it never falls back to the page.
        if (el) focusComment(el);
        setReplyTo(null);
        return;
      }
      if (e.shiftKey || typingIn(e.target)) return;
      if (e.key !== 'j' && e.key !== 'k' && e.key !== 'r') return;
      const current = commentOf(document.activeElement);
      if (e.key === 'r') {
        const id = current?.dataset.commentId;
        // Only comments that offer a Reply action (visible, not locked, not our own unsent one).
        if (!current || !id || !current.querySelector(':scope > details > .comment-actions a.action-link[href*="replyTo="]')) return;
        e.preventDefault();
        if (replyToRef.current === id) current.querySelector<HTMLElement>(`#reply-${CSS.escape(id)} textarea`)?.focus();
        else setReplyTo(id); // the box focuses its textarea as it opens
        return;
      }
      const all = commentElements();
      if (all.length === 0) return;
      e.preventDefault();
      const at = current ? all.indexOf(current) : -1;
      const next = at === -1 ? entryComment(all, document.activeElement, e.key === 'j') : all[Math.min(all.length - 1, Math.max(0, at + (e.key === 'j' ? 1 : -1)))]!;
      focusComment(next);
      // Where it is now that it scrolled into view: a render before the scroll event must not scroll it back out.
      focusedTop.current = next.getBoundingClientRect().top;
    };
    const onScroll = () => {
      focusedTop.current = commentOf(document.activeElement)?.getBoundingClientRect().top ?? null;
    };
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('focusout', onFocusOut);
    window.addEventListener('scroll', onScroll, { passive: true });
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('focusout', onFocusOut);
      window.removeEventListener('scroll', onScroll);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [enabled, setReplyTo]);

  // After every change to the thread: focus that fell to the page goes back to its comment, or, if that
  // comment left the page, to its neighbour (the next one, else the one before).
  useLayoutEffect(() => {
    if (!enabled) return;
    const ids = commentElements().map((el) => el.dataset.commentId!);
    const focused = focusedRef.current;
    const lost = document.activeElement === null || document.activeElement === document.body;
    const still = focused === null ? null : document.querySelector<HTMLElement>(`article.comment[data-comment-id="${CSS.escape(focused)}"]`);
    if (lost && still && ids.includes(focused!)) focusComment(still);
    else if (focused !== null && lost && !ids.includes(focused)) {
      const before = order.current;
      const at = before.indexOf(focused);
      const present = new Set(ids);
      const neighbour = at === -1 ? undefined : (before.slice(at + 1).find((id) => present.has(id)) ?? before.slice(0, at).reverse().find((id) => present.has(id)));
      const el = neighbour ? document.querySelector<HTMLElement>(`article.comment[data-comment-id="${CSS.escape(neighbour)}"]`) : null;
      if (el) focusComment(el);
    }
    order.current = ids;
    // A comment inserted above the one in focus must not push it off screen: scroll by what it moved.
    const inFocus = commentOf(document.activeElement);
    const top = inFocus?.getBoundingClientRect().top ?? null;
    if (top !== null && focusedTop.current !== null && top !== focusedTop.current) window.scrollBy(0, top - focusedTop.current);
    focusedTop.current = inFocus?.getBoundingClientRect().top ?? null;
  }, [enabled, options.version]);

  return focusedId;
}
