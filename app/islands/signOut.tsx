import { hydrateRoot } from 'react-dom/client';
import { SignOutButton } from '../components/staff/SignOutButton';
import { I18nProvider } from '../i18n/I18nProvider';
import type { Locale } from '../i18n/locales';

/** The header's sign-out button on a reader page: only a signed-in moderator has one, so only they load this. */
export function hydrateSignOut(root: Element, locale: Locale): void {
  hydrateRoot(
    root,
    <I18nProvider locale={locale}>
      <SignOutButton />
    </I18nProvider>,
  );
}
