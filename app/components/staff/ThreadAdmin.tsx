'use client';

import { useRef, useState } from 'react';
import type { AdminThreadListResponse, AdminThreadSummary, DeletedThread } from '../../../lib/contract/api';
import { useTranslator } from '../../i18n/I18nProvider';
import { DeleteThreadDialog } from './DeleteThreadDialog';
import { MessageBanner } from './MessageBanner';
import { threadAdminApi } from './threadAdminApi';

/** The thread the delete dialog is for; `asked` opens it again. */
interface Deleting {
  thread: AdminThreadSummary;
  asked: number;
}

/**
 * Admins only: every thread, newest first, hidden ones marked, a page at a time, each with Hide
 * (Show again) and Delete (behind a confirmation). What a reader sees changes at once: a hidden or
 * deleted thread's open pages show it removed (docs/security.md, "Threads nobody wanted").
 */
export function ThreadAdmin({ initial }: { initial: AdminThreadListResponse }) {
  const t = useTranslator();
  const [threads, setThreads] = useState(initial.threads);
  const [next, setNext] = useState(initial.next);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Deleting | null>(null);
  // Where focus goes when the dialog closes: the Delete button it came from, or the heading once its row is gone.
  const focusAfterDialog = useRef<HTMLElement | null>(null);

  const setHidden = async (thread: AdminThreadSummary) => {
    setBusy(thread.slug);
    setMessage(null);
    const hidden = !thread.hidden;
    const result = await threadAdminApi.setHidden(thread.slug, hidden);
    setBusy(null);
    if (!result.ok) return setMessage(t.t(result.error.message));
    setThreads((list) => list.map((x) => (x.slug === thread.slug ? { ...x, hidden } : x)));
    setMessage(t.t(hidden ? 'threads.hid' : 'threads.unhid', { title: thread.title }));
  };

  const loadOlder = async () => {
    if (next === null) return;
    setLoading(true);
    const result = await threadAdminApi.threads(next);
    setLoading(false);
    if (!result.ok) return setMessage(t.t('threads.loadFailed'));
    // A thread made or deleted meanwhile moves no other across the cursor (a keyset): none comes twice.
    setThreads((list) => [...list, ...result.data.threads.filter((x) => !list.some((y) => y.slug === x.slug))]);
    setNext(result.data.next);
  };

  const deleted = (gone: DeletedThread) => {
    setThreads((list) => list.filter((x) => x.slug !== gone.slug));
    setMessage(t.t('threads.deleted', { title: gone.title, count: gone.comments }));
    // The row (and its button) is gone: focus goes to the list's heading rather than to nowhere.
    focusAfterDialog.current = document.getElementById('thread-admin-heading');
  };

  return (
    <section className="thread-admin" aria-labelledby="thread-admin-heading">
      <h2 id="thread-admin-heading" tabIndex={-1}>
        {t.t('threads.title')}
      </h2>
      <p className="form-note">{t.t('threads.note')}</p>
      <MessageBanner text={message} role="status" />
      {threads.length === 0 ? (
        <p className="empty-state">{t.t('threads.empty')}</p>
      ) : (
        <ul className="thread-admin-list" aria-label={t.t('threads.list')}>
          {threads.map((thread) => (
            <li key={thread.slug} className="thread-admin-item" data-slug={thread.slug}>
              <div className="thread-admin-head">
                <a href={`/articles/${thread.slug}`} className="thread-admin-title">
                  {thread.title}
                </a>
                {thread.hidden ? <span className="badge badge-hidden">{t.t('threads.hiddenBadge')}</span> : null}
                {thread.locked ? <span className="badge badge-locked">{t.t('home.closed')}</span> : null}
              </div>
              <p className="thread-admin-meta">
                {t.t('threads.comments', { count: thread.commentCount })} · {t.t('threads.opened', { date: t.formatDate(thread.createdAt) })}
              </p>
              <div className="form-actions">
                <button type="button" className="button" disabled={busy === thread.slug} onClick={() => void setHidden(thread)}>
                  {thread.hidden ? t.t('threads.unhide') : t.t('threads.hide')}
                </button>
                <button
                  type="button"
                  className="button"
                  aria-haspopup="dialog"
                  onClick={(e) => {
                    focusAfterDialog.current = e.currentTarget;
                    setDeleting((current) => ({ thread, asked: (current?.asked ?? 0) + 1 }));
                  }}
                >
                  {t.t('threads.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {next !== null ? (
        <div className="more-comments">
          <button type="button" disabled={loading} onClick={() => void loadOlder()}>
            {loading ? t.t('thread.loading') : t.t('threads.older')}
          </button>
        </div>
      ) : null}
      {deleting ? (
        <DeleteThreadDialog key={deleting.thread.slug} thread={deleting.thread} asked={deleting.asked} onDeleted={deleted} onClose={() => focusAfterDialog.current?.focus()} />
      ) : null}
    </section>
  );
}
