'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { QueueItem } from '../../../lib/contract/api';
import type { CommentAction } from '../../../lib/contract/socket';
import { useTranslator } from '../../i18n/I18nProvider';
import type { MessageKey, Translator } from '../../i18n/translator';
import { heldReasonLabel, reportCategoryLabel } from '../labels';
import { UndoRemove } from '../live/UndoRemove';
import { serverApi } from '../serverApi';
import { BanDialog } from './BanDialog';
import { MessageBanner } from './MessageBanner';
import { QueuedComment } from './QueuedComment';
import { useModerationQueue } from './useModerationQueue';

/** The desk's decisions on a comment (a subset of the contract's actions). */
type DeskAction = Extract<CommentAction, 'approve' | 'reject' | 'remove'>;

const SHORTCUTS: [string, MessageKey][] = [
  ['j / k', 'desk.keyNextPrev'],
  ['a', 'desk.keyApprove'],
  ['r', 'desk.keyReject'],
  ['x', 'desk.keyRemove'],
  ['u', 'desk.keyUndo'],
  ['b', 'desk.keyBan'],
];

/** A report as the moderator reads it: the reason, in the desk's language, and the reader's own words if any. */
function reportText(t: Translator, report: QueueItem['reports'][number]): string {
  const reason = reportCategoryLabel(t, report.category);
  return report.reason === null ? reason : t.t('desk.reportWords', { reason, words: report.reason });
}

/** The author the Ban dialog is for; `asked` opens it again; focus goes back to `returnTo`. */
interface Banning {
  guest: { guestId: string; name: string | null };
  asked: number;
  returnTo: HTMLElement | null;
}

/**
 * The moderators' live queue across all threads: held and reported comments,
 * newest first. Every desk follows the same queue over the socket, so a
 * decision taken at one desk disappears from the others at once; the server's
 * conditional updates make sure nothing is handled twice. A removal is done at
 * once and offers Undo (`unremove`: the comment comes back as it was, reports
 * and all) for a few seconds, as on the article page.
 */
export function ModerationDesk({ initialItems }: { initialItems: QueueItem[] }) {
  const t = useTranslator();
  const [message, setMessage] = useState<string | null>(null);
  const { items, status, now, drop } = useModerationQueue(initialItems, setMessage);
  const [selected, setSelected] = useState(0);
  // The comment this desk just removed: what Undo puts back.
  const [removed, setRemoved] = useState<string | null>(null);
  const [banning, setBanning] = useState<Banning | null>(null);
  const root = useRef<HTMLDivElement>(null);
  // Set by Undo: the comment to select and focus when it is back in the queue.
  const comingBack = useRef<string | null>(null);
  const [focusSelected, setFocusSelected] = useState(false);

  useEffect(() => {
    if (selected >= items.length) setSelected(Math.max(0, items.length - 1));
  }, [items.length, selected]);

  useEffect(() => {
    const back = items.findIndex((i) => i.comment.id === comingBack.current);
    if (back < 0) return;
    comingBack.current = null;
    setSelected(back);
    setFocusSelected(true);
  }, [items]);

  // Focus follows the selection once it is rendered (the Undo offer that held it is gone).
  useEffect(() => {
    if (!focusSelected) return;
    setFocusSelected(false);
    (root.current?.querySelector<HTMLElement>('.desk-item[aria-current="true"]') ?? root.current)?.focus();
  }, [focusSelected, selected, items]);

  const act = useCallback(
    async (item: QueueItem, action: DeskAction) => {
      setMessage(null);
      const result = await serverApi.moderateComment(item.comment.id, action);
      if (result.ok) {
        if (action === 'remove') setRemoved(item.comment.id);
        return;
      }
      // Handled at another desk, or gone: it leaves this queue too.
      if (result.error.status === 409) drop(item.comment.id);
      setMessage(t.t(result.error.message));
    },
    [t, drop],
  );

  const undo = useCallback(
    async (commentId: string) => {
      setRemoved(null);
      comingBack.current = commentId;
      const result = await serverApi.moderateComment(commentId, 'unremove');
      if (result.ok) return;
      comingBack.current = null;
      setMessage(t.t(result.error.message));
    },
    [t],
  );

  const closeUndo = useCallback((hadFocus: boolean) => {
    setRemoved(null);
    if (hadFocus) setFocusSelected(true);
  }, []);

  const ban = useCallback(
    (item: QueueItem, opener: EventTarget | null) => {
      setMessage(null);
      const { guestId, name } = item.comment.author;
      if (!guestId) return setMessage(t.t('desk.noGuest'));
      // Opened with b, focus was on the page: it goes back to the comment.
      const returnTo = opener instanceof HTMLElement && opener !== document.body ? opener : (root.current?.querySelector<HTMLElement>(`.desk-item[data-comment-id="${item.comment.id}"]`) ?? null);
      setBanning((current) => ({ guest: { guestId, name }, asked: (current?.asked ?? 0) + 1, returnTo }));
    },
    [t],
  );

  const current = items[selected];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === 'j') setSelected((s) => Math.min(s + 1, Math.max(0, items.length - 1)));
      else if (e.key === 'k') setSelected((s) => Math.max(s - 1, 0));
      else if (current && e.key === 'a') void act(current, 'approve');
      else if (current && e.key === 'r' && current.comment.status === 'pending') void act(current, 'reject');
      else if (current && e.key === 'x') void act(current, 'remove');
      else if (removed && e.key === 'u') void undo(removed);
      else if (current && e.key === 'b') ban(current, document.activeElement);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items.length, current, act, removed, undo, ban]);

  const heldCount = useMemo(() => items.filter((i) => i.comment.status === 'pending').length, [items]);

  return (
    <div className="desk" ref={root} tabIndex={-1}>
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
      <MessageBanner text={message} role="alert" />
      {/* One offer at a time: a second removal replaces it (keyed, so its time and focus start again). */}
      {removed ? <UndoRemove key={removed} onUndo={() => void undo(removed)} onClose={closeUndo} /> : null}
      {items.length === 0 ? (
        <p className="empty-state">{t.t('desk.empty')}</p>
      ) : (
        <ol className="desk-queue" aria-label={t.t('desk.queue')}>
          {items.map((item, i) => {
            const held = item.comment.status === 'pending';
            return (
              <li
                key={item.comment.id}
                className={`desk-item${i === selected ? ' desk-item-selected' : ''}`}
                aria-current={i === selected ? 'true' : undefined}
                // Focusable by the desk (after an Undo, or a dialog opened with b), not a tab stop: its buttons are.
                tabIndex={-1}
                onClick={() => setSelected(i)}
                data-comment-id={item.comment.id}
              >
                <QueuedComment
                  item={item}
                  now={now}
                  badge={<span className={`badge ${held ? 'badge-held' : 'badge-reported'}`}>{held ? heldReasonLabel(t, item.heldReason ?? 'pre_moderation') : t.t('desk.reported', { count: item.reports.length })}</span>}
                />
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
                  <button type="button" className="button" aria-haspopup="dialog" onClick={(e) => ban(item, e.currentTarget)}>
                    {t.t('desk.ban')}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {banning ? (
        <BanDialog
          key={banning.guest.guestId}
          guest={banning.guest}
          asked={banning.asked}
          onBanned={setMessage}
          onClose={() => banning.returnTo?.focus()}
        />
      ) : null}
    </div>
  );
}
