import { createRoot } from 'react-dom/client';
import { PlainLink, StaffNav } from '../components/SiteChrome';
import { SignOutButton } from '../components/staff/SignOutButton';
import { I18nProvider, useTranslator } from '../i18n/I18nProvider';
import type { Locale } from '../i18n/locales';

/**
 * A signed-in moderator's links in a reader page's header (the desk, their name, sign out). The page is
 * the same for everyone, so they are not in its HTML: the header has an empty slot, filled once the
 * reader's own state says who signed in. Only staff load this chunk.
 */
export function showStaffNav(slot: Element, locale: Locale, username: string): void {
  createRoot(slot).render(
    <I18nProvider locale={locale}>
      <Nav username={username} />
    </I18nProvider>,
  );
}

function Nav({ username }: { username: string }) {
  return <StaffNav t={useTranslator()} username={username} link={PlainLink} signOut={<SignOutButton />} />;
}
