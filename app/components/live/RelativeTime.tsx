'use client';

import { formatDate } from '../labels';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(iso: string, now: number): string {
  const ago = now - Date.parse(iso);
  if (ago < 45_000) return 'just now';
  if (ago < HOUR) return `${Math.round(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.round(ago / HOUR)} h ago`;
  if (ago < 7 * DAY) return `${Math.round(ago / DAY)} d ago`;
  return formatDate(iso);
}

/**
 * "3 min ago", kept current by the page's ticking clock. Before the page is
 * live (`now` null: server rendering, or no JavaScript) it shows the date.
 */
export function RelativeTime({ iso, now }: { iso: string; now: number | null }) {
  return (
    <time className="comment-time" dateTime={iso} title={formatDate(iso)}>
      {now === null ? formatDate(iso) : relativeTime(iso, now)}
    </time>
  );
}
