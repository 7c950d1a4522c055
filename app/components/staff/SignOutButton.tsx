'use client';

import { useTranslator } from '../../i18n/I18nProvider';
import { serverApi } from '../serverApi';

export function SignOutButton() {
  const t = useTranslator();
  return (
    <button
      type="button"
      className="link-button header-link"
      onClick={async () => {
        // Whatever the answer, the reader goes home: a failed sign-out shows there as still signed in.
        await serverApi.logout();
        window.location.assign('/');
      }}
    >
      {t.t('site.signOut')}
    </button>
  );
}
