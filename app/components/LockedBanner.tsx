'use client';

import { useTranslator } from '../i18n/I18nProvider';

export function LockedBanner() {
  const t = useTranslator();
  return (
    <div className="banner banner-locked" role="status">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" className="banner-icon">
        <path
          fill="currentColor"
          d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 8V7a3 3 0 1 1 6 0v3H9Z"
        />
      </svg>
      <span>
        <strong>{t.t('thread.lockedTitle')}</strong> {t.t('thread.lockedText')}
      </span>
    </div>
  );
}

/** What staff see on a thread an admin hid: readers do not see it at all, and nobody can comment. */
export function HiddenBanner() {
  const t = useTranslator();
  return (
    <div className="banner banner-hidden" role="status">
      <span>
        <strong>{t.t('thread.hiddenTitle')}</strong> {t.t('thread.hiddenText')}
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
