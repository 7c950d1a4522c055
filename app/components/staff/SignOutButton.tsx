'use client';

import { useTranslator } from '../../i18n/I18nProvider';

export function SignOutButton() {
  const t = useTranslator();
  return (
    <button
      type="button"
      className="link-button header-link"
      onClick={async () => {
        await fetch('/api/auth/logout', { method: 'POST' }).catch(() => null);
        window.location.assign('/');
      }}
    >
      {t.t('site.signOut')}
    </button>
  );
}
