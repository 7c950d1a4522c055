'use client';

import type { ReplyToMe } from '../../../lib/client/threadState';
import { useTranslator } from '../../i18n/I18nProvider';
import { reactionText } from './reactionText';

/**
 * "Someone replied to your comment": a quiet, dismissible note at the edge of
 * the page (announced politely, never a dialog), with a link to the reply: to
 * it on this page when it is here, else to the page of its branch.
 */
export function ReplyNotice({ replies, slug, isHere, onDismiss }: { replies: readonly ReplyToMe[]; slug: string; isHere: (id: string) => boolean; onDismiss: (id: string) => void }) {
  const text = reactionText(useTranslator());
  // The live region is always there, so that a notice added to it is announced.
  return (
    <div className="reply-notices" aria-live="polite" aria-label={text.repliesLabel} role="region">
      {replies.map((reply) => {
        const href = isHere(reply.id) ? `#c-${reply.id}` : `/articles/${slug}/comments/${reply.id}#c-${reply.id}`;
        return (
          <p key={reply.id} className="reply-notice" data-reply-id={reply.id}>
            <span>{text.replied(reply.author)}</span>{' '}
            <a href={href} className="reply-notice-link" onClick={() => onDismiss(reply.id)}>
              {text.viewReply}
            </a>{' '}
            <button type="button" className="link-button reply-notice-dismiss" aria-label={text.dismissLabel(reply.author)} onClick={() => onDismiss(reply.id)}>
              {text.dismiss}
            </button>
          </p>
        );
      })}
    </div>
  );
}
