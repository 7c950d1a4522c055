'use client';

import type { ReplyToMe } from '../../../lib/client/threadState';
import { useTranslator } from '../../i18n/I18nProvider';
import { reactionText } from './reactionText';
import { useReplyNotices } from './useReplyNotices';

/**
 * "Someone replied to your comment", or "3 replies to your comments, from …":
 * one quiet, dismissible note at the edge of the page (announced politely,
 * never a dialog), whatever the number of replies. Its link goes to the
 * oldest reply not yet visited (on this page when it is here, else to the
 * page of its branch), which then leaves the note. It goes by itself a while
 * after the newest reply (useReplyNotices).
 */
export function ReplyNotice({ replies, slug, isHere, onDismiss }: { replies: readonly ReplyToMe[]; slug: string; isHere: (id: string) => boolean; onDismiss: (id: string) => void }) {
  const text = reactionText(useTranslator());
  const group = useReplyNotices(replies, onDismiss);
  const next = group?.next;
  const many = (group?.ids.length ?? 0) > 1;
  // The live region is always there, so that a notice added to it is announced.
  return (
    <div className="reply-notices" aria-live="polite" aria-label={text.repliesLabel} role="region">
      {group && next ? (
        <p className="reply-notice" data-reply-id={next.id}>
          <span>{many ? text.repliesFrom(group.ids.length, group.names, group.others) : text.replied(next.author)}</span>{' '}
          <a href={isHere(next.id) ? `#c-${next.id}` : `/articles/${slug}/comments/${next.id}#c-${next.id}`} className="reply-notice-link" onClick={() => onDismiss(next.id)}>
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
