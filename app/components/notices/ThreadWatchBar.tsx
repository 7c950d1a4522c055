'use client';

import { useEffect, useState } from 'react';
import type { ThreadWatchMode } from '../../../lib/domain/notifications';
import { errorMessage } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';
import { InlineProblem } from '../InlineProblem';
import { noticeApi } from './noticeApi';

/**
 * A signed-in reader's follow or block of the thread (docs/notifications.md): following puts its new
 * top-level comments in their daily digest, blocking silences it. Read once the page is live; the
 * settings page lists and removes them without JavaScript.
 */
export function ThreadWatchBar({ slug }: { slug: string }) {
  const t = useTranslator();
  const [mode, setMode] = useState<ThreadWatchMode | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    void noticeApi.watchOf(slug).then((res) => {
      if (current && res.ok) setMode(res.data.mode);
    });
    return () => {
      current = false;
    };
  }, [slug]);

  if (mode === undefined) return null;
  const change = async (next: ThreadWatchMode | null) => {
    const res = await noticeApi.watch(slug, next);
    if (!res.ok) return setProblem(errorMessage(t, res.error));
    setProblem(null);
    setMode(res.data.mode);
  };
  return (
    <div className="watch-bar" data-testid="watch-bar">
      {mode === null ? (
        <>
          <button type="button" className="link-button" onClick={() => void change('follow')}>
            {t.t('watch.follow')}
          </button>
          <button type="button" className="link-button" onClick={() => void change('block')}>
            {t.t('watch.block')}
          </button>
        </>
      ) : (
        <button type="button" className="link-button" aria-pressed="true" onClick={() => void change(null)}>
          {t.t(mode === 'follow' ? 'watch.following' : 'watch.blocked')}
        </button>
      )}
      <InlineProblem text={problem} />
    </div>
  );
}
