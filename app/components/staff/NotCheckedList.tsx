'use client';

import { useEffect, useState } from 'react';
import type { QueueItem } from '../../../lib/contract/api';
import { useTranslator } from '../../i18n/I18nProvider';
import { serverApi } from '../serverApi';
import { MessageBanner } from './MessageBanner';
import { QueuedComment } from './QueuedComment';

/**
 * The visible comments the outside spam service could not check (it was slow or down when they
 * were posted: docs/security.md, "Spam"), newest first. A moderator keeps what is fine (approve,
 * which clears the mark) or removes it; either takes it off this list.
 */
export function NotCheckedList({ initialItems }: { initialItems: QueueItem[] }) {
  const t = useTranslator();
  const [items, setItems] = useState(initialItems);
  const [message, setMessage] = useState<string | null>(null);
  // Set once mounted, so that the server's render and the first one here agree (RelativeTime).
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => setNow(Date.now()), []);

  const act = async (item: QueueItem, action: 'approve' | 'remove') => {
    setMessage(null);
    const result = await serverApi.moderateComment(item.comment.id, action);
    // Handled at another desk (409) leaves the list too.
    if (result.ok || result.error.status === 409) setItems((current) => current.filter((i) => i.comment.id !== item.comment.id));
    if (!result.ok) setMessage(t.t(result.error.message));
  };

  return (
    <section className="not-checked-panel" aria-labelledby="not-checked-heading">
      <h2 id="not-checked-heading">{t.t('desk.notCheckedTitle')}</h2>
      <p className="desk-shortcuts">{t.t('desk.notCheckedIntro')}</p>
      <MessageBanner text={message} role="alert" />
      {items.length === 0 ? (
        <p className="empty-state">{t.t('desk.notCheckedEmpty')}</p>
      ) : (
        <ol className="desk-queue" aria-labelledby="not-checked-heading">
          {items.map((item) => (
            <li key={item.comment.id} className="desk-item" data-comment-id={item.comment.id}>
              <QueuedComment item={item} now={now} />
              <div className="form-actions">
                <button type="button" className="button button-primary" onClick={() => void act(item, 'approve')}>
                  {t.t('desk.keep')}
                </button>
                <button type="button" className="button" onClick={() => void act(item, 'remove')}>
                  {t.t('desk.remove')}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
