'use client';

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { EVENTS } from '../../../lib/contract/events';
import type { NotificationItem } from '../../../lib/contract/notifications';
import { errorMessage } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';
import type { Translator } from '../../i18n/translator';
import { onPageSocket, type PageSocket } from '../live/pageSocket';
import { bellApi } from './bellApi';

export interface BellProps {
  /** A moderator's or admin's bell also shows the desk's queue. */
  staff: boolean;
  /** `page`: listen on the page's own live connection (a reader page's thread socket); `own`: open one (the app's other pages). */
  socket: 'page' | 'own';
  /** In the embed's frame, links open in the top window (the discussion's page, not the frame). */
  framed?: boolean;
}

/** What a notice says, in the reader's words. */
export function noticeText(t: Translator, n: NotificationItem): string {
  const thread = n.thread.title;
  if (n.kind === 'featured') return t.t('bell.featured', { thread });
  if (n.kind === 'moderation') return t.t(n.decision === 'approved' ? 'bell.approved' : n.decision === 'held' ? 'bell.held' : 'bell.removed', { thread });
  return t.t(n.kind === 'reply' ? 'bell.reply' : 'bell.mention', { name: n.actorName ?? t.t('bell.someone'), thread });
}

/**
 * The bell of a signed-in person (docs/notifications.md): the unread count on a button (in its name,
 * for screen readers), live over the socket on every device; the list, newest first, each notice a link
 * to its comment on the branch's page (read once followed), "Mark all read", older pages; a moderator's
 * desk queue. Escape or a click elsewhere closes the list and gives focus back to the button.
 */
export function Bell({ staff, socket: source, framed = false }: BellProps) {
  const t = useTranslator();
  const id = useId();
  const [unread, setUnread] = useState<number | null>(null);
  const [queue, setQueue] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<NotificationItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);

  const refresh = useCallback(async () => {
    const res = await bellApi.count();
    if (res.ok) {
      setUnread(res.data.unread);
      if (res.data.queue !== undefined) setQueue(res.data.queue);
    }
  }, []);

  const load = useCallback(async () => {
    const res = await bellApi.list();
    if (!res.ok) return setProblem(errorMessage(t, res.error, 'bell.loadFailed'));
    setProblem(null);
    setItems(res.data.notifications);
    setNext(res.data.next);
    setUnread(res.data.unread);
  }, [t]);

  useEffect(() => {
    void refresh();
    const listen = (socket: PageSocket) => {
      socket.on(EVENTS.notificationsChanged, (change) => {
        const { notification } = change;
        if (notification) {
          // One more (NotificationsChanged); opening the list and reconnecting read the true count again.
          setUnread((count) => (count ?? 0) + 1);
          setItems((current) => (current ? [notification, ...current.filter((n) => n.id !== notification.id)] : current));
        } else {
          setUnread(change.unread);
          setItems((current) => (current && change.unread === 0 ? current.map((n) => ({ ...n, read: true })) : current));
        }
      });
      socket.on(EVENTS.queueCount, ({ queue: waiting }) => setQueue(waiting));
      // Back after a drop: what changed meanwhile is read again (Redis carries nothing to a socket that was away).
      const reconnected = () => void refresh();
      socket.on('connect', reconnected);
      return () => {
        socket.off(EVENTS.notificationsChanged);
        socket.off(EVENTS.queueCount);
        socket.off('connect', reconnected);
      };
    };
    if (source === 'own') {
      const socket: PageSocket = io({ transports: ['websocket', 'polling'], reconnectionDelayMax: 5000 });
      const stop = listen(socket);
      return () => {
        stop();
        socket.disconnect();
      };
    }
    let stopListening: (() => void) | undefined;
    const stop = onPageSocket((socket) => {
      stopListening?.();
      stopListening = listen(socket);
    });
    return () => {
      stop();
      stopListening?.();
    };
  }, [source, refresh]);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape') return;
        setOpen(false);
        button.current?.focus();
      } else if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', close);
    document.addEventListener('mousedown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('mousedown', close);
    };
  }, [open]);

  const toggle = () => {
    const opening = !open;
    setOpen(opening);
    if (opening) void load();
  };

  const markAll = async () => {
    const res = await bellApi.markRead({ all: true });
    if (!res.ok) return setProblem(errorMessage(t, res.error));
    setUnread(res.data.unread);
    setItems((current) => current?.map((n) => ({ ...n, read: true })) ?? current);
  };

  const older = async () => {
    if (!next) return;
    const res = await bellApi.list(next);
    if (!res.ok) return setProblem(errorMessage(t, res.error, 'bell.loadFailed'));
    setItems((current) => [...(current ?? []), ...res.data.notifications]);
    setNext(res.data.next);
  };

  const follow = (n: NotificationItem) => {
    if (!n.read) void bellApi.markRead({ ids: [n.id] });
  };

  const count = unread ?? 0;
  const panelId = `${id}-notices`;
  return (
    <div className="bell" ref={root} data-testid="bell">
      <button
        ref={button}
        type="button"
        className="bell-button header-link"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={count > 0 ? t.t('bell.button', { count }) : t.t('bell.buttonNone')}
        onClick={toggle}
      >
        <span aria-hidden="true" className="bell-icon">
          🔔
        </span>
        {count > 0 ? (
          <span className="bell-count" aria-hidden="true" data-testid="bell-count">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
        {staff && queue ? (
          <span className="bell-queue" aria-hidden="true">
            {queue}
          </span>
        ) : null}
      </button>
      {open ? (
        <div id={panelId} className="bell-panel" role="region" aria-label={t.t('bell.title')}>
          <div className="bell-head">
            <strong>{t.t('bell.title')}</strong>
            {count > 0 ? (
              <button type="button" className="link-button" onClick={() => void markAll()}>
                {t.t('bell.markAllRead')}
              </button>
            ) : null}
          </div>
          {staff && queue !== null ? (
            <p className="bell-desk">
              <a href="/moderate" target={framed ? '_top' : undefined}>
                {t.t('bell.queue', { count: queue })}
              </a>
            </p>
          ) : null}
          {problem ? (
            <p className="form-error" role="alert">
              {problem}
            </p>
          ) : null}
          {items && items.length === 0 ? <p className="bell-empty">{t.t('bell.empty')}</p> : null}
          {items && items.length > 0 ? (
            <ul className="bell-list">
              {items.map((n) => (
                <li key={n.id} className={n.read ? 'bell-item' : 'bell-item bell-unread'} data-testid="bell-item">
                  <a href={n.href} target={framed ? '_top' : undefined} onClick={() => follow(n)}>
                    {n.read ? null : <span className="visually-hidden">{t.t('bell.unread')}: </span>}
                    {noticeText(t, n)}
                  </a>
                  {n.reason ? <span className="bell-reason">{t.t(n.kind === 'featured' ? 'bell.pickNote' : 'bell.reason', n.kind === 'featured' ? { note: n.reason } : { reason: n.reason })}</span> : null}
                  {n.excerpt ? <span className="bell-excerpt">{n.excerpt}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="bell-foot">
            {next ? (
              <button type="button" className="link-button" onClick={() => void older()}>
                {t.t('bell.more')}
              </button>
            ) : null}
            <a href="/account#notices" target={framed ? '_top' : undefined}>
              {t.t('bell.settings')}
            </a>
          </div>
        </div>
      ) : null}
    </div>
  );
}
