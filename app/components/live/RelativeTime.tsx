'use client';

import { useTranslator } from '../../i18n/I18nProvider';

/**
 * "3 min ago" in the reader's language (Intl.RelativeTimeFormat), kept
 * current by the page's ticking clock. Before the page is live (`now` null:
 * server rendering, or no JavaScript) it shows the date.
 */
export function RelativeTime({ iso, now }: { iso: string; now: number | null }) {
  const t = useTranslator();
  return (
    <time className="comment-time" dateTime={iso} title={t.formatDate(iso)}>
      {now === null ? t.formatDate(iso) : t.relativeTime(iso, now)}
    </time>
  );
}
