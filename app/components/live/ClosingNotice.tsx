'use client';

import { useEffect, useState } from 'react';
import { closingNotice } from '../../../lib/client/closingNotice';
import { useTranslator } from '../../i18n/I18nProvider';

/** setTimeout's longest wait; a text further off is looked at again then. */
const LONGEST_WAIT_MS = 2 ** 31 - 1;

/**
 * "Comments close in 2 hours": server-rendered from the time the page was rendered, then kept
 * current by one timeout for the moment its words change (lib/client/closingNotice.ts), not a timer
 * per second. Gone once the time has come: the thread's lock event follows within a poll.
 */
export function ClosingNotice({ closesAt, renderedAt }: { closesAt: string | null; renderedAt: number | null }) {
  const t = useTranslator();
  // The render time first, so hydration matches the server's text; the browser's clock from then on.
  const [now, setNow] = useState(renderedAt);
  useEffect(() => setNow(Date.now()), [closesAt]);
  const shown = now === null ? null : closingNotice(closesAt, now);
  const changesAt = shown?.changesAt;
  useEffect(() => {
    if (changesAt === undefined) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(LONGEST_WAIT_MS, Math.max(0, changesAt - Date.now())));
    return () => clearTimeout(timer);
  }, [changesAt]);
  if (!shown || closesAt === null) return null;
  const { notice } = shown;
  return (
    <p className="banner banner-closing" role="status" data-testid="closing-notice">
      <time dateTime={closesAt} title={t.formatDate(closesAt)}>
        {notice.key === 'closing.soon' ? t.t(notice.key) : t.t(notice.key, { count: notice.count })}
      </time>
    </p>
  );
}
