'use client';

import type { ReactNode } from 'react';
import type { QueueItem } from '../../../lib/contract/api';
import { useTranslator } from '../../i18n/I18nProvider';
import { notCheckedLabel } from '../labels';
import { AuthorBadges } from '../live/AuthorBadges';
import { RelativeTime } from '../live/RelativeTime';

/**
 * A queued comment as a moderator reads it, on the desk and in the not-checked list alike: who
 * wrote it, when, on which thread (a link to it in place), what it says, and whether the spam
 * service could not check it. `badge` leads the head (the desk's held or reported); the caller
 * adds what follows (reports, actions).
 */
export function QueuedComment({ item, now, badge }: { item: QueueItem; now: number | null; badge?: ReactNode }) {
  const t = useTranslator();
  return (
    <>
      <div className="desk-item-head">
        {badge}
        <strong>
          {item.comment.author.guestId ? (
            <a className="desk-author" href={`/moderate/people/${item.comment.author.guestId}`} title={t.t('desk.personPage')}>
              <bdi>{item.comment.author.name ?? t.t('comment.anonymous')}</bdi>
            </a>
          ) : (
            <bdi>{item.comment.author.name ?? t.t('comment.anonymous')}</bdi>
          )}
        </strong>
        <AuthorBadges badges={item.comment.authorBadges} />
        {item.comment.createdAt ? <RelativeTime iso={item.comment.createdAt} now={now} /> : null}
        <span className="desk-thread">
          {t.t('desk.on')} <a href={`/articles/${item.thread.slug}#c-${item.comment.id}`}>{item.thread.title}</a>
        </span>
      </div>
      <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: item.comment.html }} />
      {item.notChecked ? <p className="desk-not-checked">{notCheckedLabel(t, item.notChecked)}</p> : null}
    </>
  );
}
