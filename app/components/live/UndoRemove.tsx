'use client';

import { useEffect, useId, useRef } from 'react';
import { useTranslator } from '../../i18n/I18nProvider';

/** How long "Comment removed. Undo" stays after a moderator's Remove; Restore stays after it. */
export const UNDO_REMOVE_MS = 8000;

/**
 * Offered to the moderator who just removed a comment, in place of a
 * confirmation: the removal is done at once (readers see it go), and Undo
 * restores it. The button takes focus (the Remove button it follows is gone);
 * `onClose` says whether focus was still in here when it closes, so the comment
 * can take it back rather than leave it on the page.
 */
export function UndoRemove({ onUndo, onClose }: { onUndo: () => void; onClose: (hadFocus: boolean) => void }) {
  const t = useTranslator();
  const id = useId();
  const root = useRef<HTMLParagraphElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const hasFocus = () => root.current?.contains(document.activeElement) ?? false;
  // The page re-renders as the thread changes: the offer's time runs from when it appeared, whatever the props.
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    button.current?.focus();
    const timer = setTimeout(() => close.current(root.current?.contains(document.activeElement) ?? false), UNDO_REMOVE_MS);
    return () => clearTimeout(timer);
  }, []);

  return (
    <p ref={root} className="comment-status comment-undo" role="status">
      <span id={id}>{t.t('comment.removedUndo')}</span>{' '}
      <button
        ref={button}
        type="button"
        className="link-button"
        aria-describedby={id}
        onClick={() => {
          onClose(hasFocus());
          onUndo();
        }}
      >
        {t.t('comment.undo')}
      </button>
    </p>
  );
}
