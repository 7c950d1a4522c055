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
