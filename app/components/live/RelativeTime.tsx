'use client';

import { useRef } from 'react';
import { useTranslator } from '../../i18n/I18nProvider';
import { useThreadView } from './useCommentThread';

/**
 * "3 min ago" in the reader's language (Intl.RelativeTimeFormat), kept
 * current by the page's ticking clock; after a week, the date in the reader's
 * time zone, with the full date and the zone's name on hover. Before the page
 * is live (`now` null: server rendering, or no JavaScript) the reader's zone
 * is unknown: the date in UTC, said so (and the same text the server sent, so
 * hydration matches).
 */
export function RelativeTime({ iso, now }: { iso: string; now: number | null }) {
  const t = useTranslator();
  return <TimeText iso={iso} relative={now === null ? null : t.relativeTime(iso, now)} />;
}

/**
 * The same for a comment of the live thread, on the thread's clock: re-rendered when its words
 * change ("3 min ago" → "4 min ago"), not at every tick for every comment on the page.
 */
export function ThreadTime({ iso }: { iso: string }) {
  const t = useTranslator();
  // Worded again only when the clock moved: the page asks every comment's time after each of its renders.
  const worded = useRef<{ iso: string; now: number | null; text: string | null } | null>(null);
  const relative = useThreadView((view) => {
    if (worded.current?.iso !== iso || worded.current.now !== view.now) worded.current = { iso, now: view.now, text: view.now === null ? null : t.relativeTime(iso, view.now) };
    return worded.current.text;
  });
  return <TimeText iso={iso} relative={relative} />;
}

function TimeText({ iso, relative }: { iso: string; relative: string | null }) {
  const t = useTranslator();
  return (
    <time className="comment-time" dateTime={iso} title={relative === null ? t.formatDate(iso) : t.localDate(iso, { long: true })}>
      {relative ?? t.formatDate(iso)}
    </time>
  );
}
