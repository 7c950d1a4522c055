'use client';

import { useTranslator } from '../../i18n/I18nProvider';

/**
 * Said once, above the comment box, when the browser keeps no identity for this discussion (a
 * frame on another site where third-party cookies are blocked): the reader can post, but what
 * they post cannot be edited or deleted later, so those buttons are not offered.
 */
export function IdentityNote() {
  const t = useTranslator();
  return (
    <p className="form-note identity-note" role="note">
      {t.t('identity.notKept')}
    </p>
  );
}
