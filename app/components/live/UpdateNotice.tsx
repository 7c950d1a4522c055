'use client';

import { useTranslator } from '../../i18n/I18nProvider';

/**
 * The server was updated under an open page (its protocol is not this page's):
 * a polite request to reload. Drafts are kept in the browser (CommentForm), so
 * a reload loses nothing typed.
 */
export function UpdateNotice() {
  const t = useTranslator();
  return (
    <p className="banner banner-update" role="status" data-testid="update-notice">
      {t.t('version.available')}{' '}
      <button type="button" className="button" onClick={() => window.location.reload()}>
        {t.t('version.reload')}
      </button>
    </p>
  );
}
