'use client';

import type { ReplyToMe } from '../../../lib/client/threadState';
import { REACTION_TEXT } from './reactionText';

/**
 * "Someone replied to your comment": a quiet, dismissible note at the edge of
 * the page (announced politely, never a dialog), with a link to the reply: to
 * it on this page when it is here, else to the page of its branch.
 */
export function ReplyNotice({ replies, slug, isHere, onDismiss }: { replies: readonly ReplyToMe[]; slug: string; isHere: (id: string) => boolean; onDismiss: (id: string) => void }) {
  // The live region is always there, so that a notice added to it is announced.
  return (
    <div className="reply-notices" aria-live="polite" aria-label={REACTION_TEXT.repliesLabel} role="region">
      {replies.map((reply) => {
        const href = isHere(reply.id) ? `#c-${reply.id}` : `/articles/${slug}/comments/${reply.id}#c-${reply.id}`;
        return (
          <p key={reply.id} className="reply-notice" data-reply-id={reply.id}>
            <span>{REACTION_TEXT.replied(reply.author)}</span>{' '}
            <a href={href} className="reply-notice-link" onClick={() => onDismiss(reply.id)}>
              {REACTION_TEXT.viewReply}
            </a>{' '}
            <button type="button" className="link-button reply-notice-dismiss" aria-label={REACTION_TEXT.dismissLabel(reply.author)} onClick={() => onDismiss(reply.id)}>
              {REACTION_TEXT.dismiss}
            </button>
          </p>
        );
      })}
    </div>
  );
}
