'use client';

import type { ClientComment } from '../../../lib/client/threadState';
import { useTranslator } from '../../i18n/I18nProvider';
import type { ModeratorAction } from './CommentItem';

/** A moderator's buttons on one comment (loaded for moderators only: ./staffOnly.ts). */
export function ModeratorControls({ comment: c, act, answer }: { comment: ClientComment; act: (action: ModeratorAction) => Promise<void>; answer?: boolean | null }) {
  const t = useTranslator();
  const button = (action: ModeratorAction, label: string) => (
    <button type="button" className="link-button action-link mod-action" onClick={() => void act(action)}>
      {label}
    </button>
  );
  return (
    <span className="mod-controls" role="group" aria-label={t.t('comment.moderation')}>
      {c.status === 'visible' || c.status === 'pending' ? button('remove', t.t('comment.remove')) : null}
      {c.status === 'removed' ? button('restore', t.t('comment.restore')) : null}
      {c.status === 'visible' ? (c.pinned ? button('unpin', t.t('comment.unpin')) : button('pin', t.t('comment.pin'))) : null}
      {c.locked ? button('unlock', t.t('comment.unlock')) : button('lock', t.t('comment.lock'))}
      {/* `answer`: null outside a Q&A thread and on questions; whether this reply is its question's answer. */}
      {answer === true ? button('unanswer', t.t('comment.unmarkAnswer')) : null}
      {answer === false && c.status === 'visible' ? button('answer', t.t('comment.markAnswer')) : null}
    </span>
  );
}
