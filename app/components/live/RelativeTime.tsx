'use client';

import { useTranslator } from '../../i18n/I18nProvider';

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
  return (
    <time className="comment-time" dateTime={iso} title={now === null ? t.formatDate(iso) : t.localDate(iso, { long: true })}>
      {now === null ? t.formatDate(iso) : t.relativeTime(iso, now)}
    </time>
  );
}
