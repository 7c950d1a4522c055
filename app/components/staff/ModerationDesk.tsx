'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { QueueItem } from '../../../lib/contract/api';
import { EVENTS, type ClientToServerEvents, type CommentAction, type ServerToClientEvents } from '../../../lib/contract/socket';
import { errorMessage } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';
import type { MessageKey, Translator } from '../../i18n/translator';
import { reportCategoryLabel } from '../labels';
import { RelativeTime } from '../live/RelativeTime';
import { serverApi, type ApiResult } from '../serverApi';

/** The desk's comment actions (a subset of the contract's) and the ban of the comment's author. */
type DeskAction = Extract<CommentAction, 'approve' | 'reject' | 'remove'> | 'ban';

const SHORTCUTS: [string, MessageKey][] = [
  ['j / k', 'desk.keyNextPrev'],
  ['a', 'desk.keyApprove'],
  ['r', 'desk.keyReject'],
  ['x', 'desk.keyRemove'],
  ['b', 'desk.keyBan'],
];

/** A report as the moderator reads it: the reason, in the desk's language, and the reader's own words if any. */
function reportText(t: Translator, report: QueueItem['reports'][number]): string {
  const reason = reportCategoryLabel(t, report.category);
  return report.reason === null ? reason : t.t('desk.reportWords', { reason, words: report.reason });
}

function sortItems(items: QueueItem[]): QueueItem[] {
  return [...items].sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
}

/**
 * The moderators' live queue across all threads: held and reported comments,
 * newest first. Every desk follows the same queue over the socket, so a
 * decision taken at one desk disappears from the others at once; the server's
 * conditional updates make sure nothing is handled twice.
 */
export function ModerationDesk({ initialItems }: { initialItems: QueueItem[] }) {
  const t = useTranslator();
  const [items, setItems] = useState(() => sortItems(initialItems));
  const [selected, setSelected] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [status, setStatus] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  const [now, setNow] = useState<number | null>(null);
  const socketRef = useRef<Socket<ServerToClientEvents, ClientToServerEvents> | null>(null);

  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket', 'polling'] });
    socketRef.current = socket;
    socket.on('connect', () => {
      // (Re)subscribing returns the whole queue: whatever changed while disconnected is included.
      socket.emit(EVENTS.moderationSubscribe, (res) => {
        if (res.ok) {
          setItems(sortItems(res.items));
          setStatus('live');
        } else setMessage(errorMessage(t, res.error));
      });
    });
    socket.on('disconnect', () => setStatus('reconnecting'));
    socket.on(EVENTS.moderationQueue, ({ commentId, item }) => {
      setItems((current) => sortItems([...current.filter((i) => i.comment.id !== commentId), ...(item ? [item] : [])]));
    });
    return () => {
      clearInterval(timer);
      socket.disconnect();
    };
  }, [t]);

  useEffect(() => {
    if (selected >= items.length) setSelected(Math.max(0, items.length - 1));
  }, [items.length, selected]);

  const act = useCallback(async (item: QueueItem, action: DeskAction) => {
    setMessage(null);
    let result: ApiResult<void>;
    if (action === 'ban') {
      const guestId = item.comment.author.guestId;
      if (!guestId) return setMessage(t.t('desk.noGuest'));
      const reason = window.prompt(t.t('desk.banReason', { name: item.comment.author.name ?? t.t('desk.thisGuest') }));
      if (!reason?.trim()) return;
      const days = window.prompt(t.t('desk.banDays'), '7');
      if (days === null) return;
      const until = days.trim() ? new Date(Date.now() + Number(days) * 86_400_000).toISOString() : undefined;
      result = await serverApi.ban({ guestId, reason: reason.trim(), until });
      const name = item.comment.author.name ?? t.t('desk.theGuest');
      if (result.ok) setMessage(until ? t.t('desk.bannedUntil', { name, until: t.localDate(until) }) : t.t('desk.bannedForGood', { name }));
    } else {
      result = await serverApi.moderateComment(item.comment.id, action);
      // Handled at another desk, or gone: it leaves this queue too.
      if (!result.ok && result.error.status === 409) setItems((current) => current.filter((i) => i.comment.id !== item.comment.id));
    }
    if (!result.ok) setMessage(t.t(result.error.message));
  }, [t]);

  const current = items[selected];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === 'j') setSelected((s) => Math.min(s + 1, Math.max(0, items.length - 1)));
      else if (e.key === 'k') setSelected((s) => Math.max(s - 1, 0));
      else if (current && e.key === 'a') void act(current, 'approve');
      else if (current && e.key === 'r' && current.comment.status === 'pending') void act(current, 'reject');
      else if (current && e.key === 'x') void act(current, 'remove');
      else if (current && e.key === 'b') void act(current, 'ban');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items.length, current, act]);

  const heldCount = useMemo(() => items.filter((i) => i.comment.status === 'pending').length, [items]);

  return (
    <div className="desk">
      <div className="desk-status">
        <span className={`connection connection-${status === 'live' ? 'live' : 'reconnecting'}`} role="status">
          <span className="connection-dot" aria-hidden="true" />
          {status === 'live' ? t.t('thread.live') : status === 'connecting' ? t.t('thread.connecting') : t.t('thread.reconnecting')}
        </span>
        <span>
          {t.t('desk.queueSummary', { total: items.length, held: heldCount, reported: items.length - heldCount })}
        </span>
      </div>
      <p className="desk-shortcuts">
        {SHORTCUTS.map(([key, what]) => (
          <span key={key}>
            <kbd>{key}</kbd> {t.t(what)}
          </span>
        ))}
      </p>
      {message ? (
        <p className="banner" role="alert">
          {message}
        </p>
      ) : null}
      {items.length === 0 ? (
        <p className="empty-state">{t.t('desk.empty')}</p>
      ) : (
        <ol className="desk-queue" aria-label={t.t('desk.queue')}>
          {items.map((item, i) => {
            const held = item.comment.status === 'pending';
            return (
              <li key={item.comment.id} className={`desk-item${i === selected ? ' desk-item-selected' : ''}`} aria-current={i === selected ? 'true' : undefined} onClick={() => setSelected(i)} data-comment-id={item.comment.id}>
                <div className="desk-item-head">
                  <span className={`badge ${held ? 'badge-held' : 'badge-reported'}`}>{held ? (item.heldReason === 'banned_word' ? t.t('desk.heldWord') : t.t('desk.heldPre')) : t.t('desk.reported', { count: item.reports.length })}</span>
                  <strong>
                    <bdi>{item.comment.author.name ?? t.t('comment.anonymous')}</bdi>
                  </strong>
                  {item.comment.createdAt ? <RelativeTime iso={item.comment.createdAt} now={now} /> : null}
                  <span className="desk-thread">
                    {t.t('desk.on')} <a href={`/articles/${item.thread.slug}#c-${item.comment.id}`}>{item.thread.title}</a>
                  </span>
                </div>
                <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: item.comment.html }} />
                {item.reports.length > 0 ? (
                  <ul className="desk-reports">
                    {item.reports.map((r, n) => (
                      <li key={n}>{reportText(t, r)}</li>
                    ))}
                  </ul>
                ) : null}
                <div className="form-actions">
                  <button type="button" className="button button-primary" onClick={() => void act(item, 'approve')}>
                    {held ? t.t('desk.approve') : t.t('desk.keep')}
                  </button>
                  {held ? (
                    <button type="button" className="button" onClick={() => void act(item, 'reject')}>
                      {t.t('desk.reject')}
                    </button>
                  ) : null}
                  <button type="button" className="button" onClick={() => void act(item, 'remove')}>
                    {t.t('desk.remove')}
                  </button>
                  <button type="button" className="button" onClick={() => void act(item, 'ban')}>
                    {t.t('desk.ban')}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
