'use client';

import { useTranslator } from '../i18n/I18nProvider';

/**
 * Why nobody can comment on this thread, if so: an admin hid it (only staff see the thread then),
 * or it is locked. Hidden says more, so it wins; each state is a banner of its own (keyed).
 */
export function ClosedThreadBanner({ hidden, locked }: { hidden: boolean; locked: boolean }) {
  const t = useTranslator();
  const why = hidden ? 'hidden' : locked ? 'locked' : null;
  if (why === null) return null;
  return (
    <div key={why} className={`banner banner-${why}`} role="status">
      {why === 'locked' ? (
        <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" className="banner-icon">
          <path
            fill="currentColor"
            d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 8V7a3 3 0 1 1 6 0v3H9Z"
          />
        </svg>
      ) : null}
      <span>
        <strong>{t.t(`thread.${why}Title`)}</strong> {t.t(`thread.${why}Text`)}
      </span>
    </div>
  );
}

/**
 * A discussion that was deleted, or hidden from this reader, while the page was open: all the page shows of it
 * (a live region, so a screen reader hears it as it happens). The heading keeps the section named.
 */
export function RemovedNotice() {
  const t = useTranslator();
  return (
    <div className="removed-notice" role="status" aria-live="polite">
      <h2 id="comments-heading">{t.t('thread.removedTitle')}</h2>
      <p>{t.t('thread.removedText')}</p>
    </div>
  );
}
