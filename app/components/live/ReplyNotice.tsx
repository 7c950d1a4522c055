'use client';

import { flushSync } from 'react-dom';
import type { ReplyToMe } from '../../../lib/client/threadState';
import { useTranslator } from '../../i18n/I18nProvider';
import { focusComment } from './goToComment';
import { reactionText } from './reactionText';
import { useReplyNotices } from './useReplyNotices';

/**
 * "Someone replied to your comment", or "3 replies to your comments, from …":
 * one quiet, dismissible note at the edge of the page (announced politely,
 * never a dialog), whatever the number of replies. Its link goes to the
 * oldest reply not yet visited, which then leaves the note: on this page when
 * the page shows it (the folds around it opened, focus on it), else on the
 * page of the branch it answers (a branch not loaded, or nested deeper than
 * the page shows). It goes by itself a while after the newest reply
 * (useReplyNotices).
 */
export function ReplyNotice(props: {
  replies: readonly ReplyToMe[];
  slug: string;
  /** Whether the page shows the comment (or will, once what is held behind the pill is shown). */
  isShown: (id: string) => boolean;
  /** Whether the comment waits behind the pill (it came while the page loaded): going there shows what is held first. */
  isHeld: (id: string) => boolean;
  onReveal: () => void;
  onDismiss: (id: string) => void;
}) {
  const { replies, slug, isShown, isHeld, onReveal, onDismiss } = props;
  const text = reactionText(useTranslator());
  const group = useReplyNotices(replies, onDismiss);
  const next = group?.next;
  const many = (group?.ids.length ?? 0) > 1;
  const here = next !== undefined && isShown(next.id);
  // The live region is always there, so that a notice added to it is announced.
  return (
    <div className="reply-notices" aria-live="polite" aria-label={text.repliesLabel} role="region">
      {group && next ? (
        <p className="reply-notice" data-reply-id={next.id}>
          <span>{many ? text.repliesFrom(group.ids.length, group.names, group.others) : text.replied(next.author)}</span>{' '}
          <a
            href={here ? `#c-${next.id}` : `/articles/${slug}/comments/${next.parentId}#c-${next.id}`}
            className="reply-notice-link"
            onClick={() => {
              // Before the link is followed (it scrolls there, and marks it): on the page, visible, and holding focus.
              if (here && isHeld(next.id)) flushSync(onReveal);
              if (here) focusComment(next.id);
              onDismiss(next.id);
            }}
          >
            {many ? text.viewFirst : text.viewReply}
          </a>{' '}
          <button
            type="button"
            className="link-button reply-notice-dismiss"
            aria-label={many ? text.dismissAllLabel(group.ids.length) : text.dismissLabel(next.author)}
            onClick={() => group.ids.forEach(onDismiss)}
          >
            {text.dismiss}
          </button>
        </p>
      ) : null}
    </div>
  );
}
