import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { EMBED_THEME_HEADER } from '../lib/domain/embed';
import { SiteFooter, SiteHeader } from './components/SiteChrome';
import { SignOutButton } from './components/staff/SignOutButton';
import { viewerPerson } from './components/viewer';
import { Bell } from './components/bell/Bell';
import { isStaffRole } from '../lib/domain/identity';
import { I18nProvider } from './i18n/I18nProvider';
import { translatorFor } from './i18n/locales';
import { requestLocale } from './i18n/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Threadline', template: '%s · Threadline' },
  description: 'News and the discussion around it, live.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
};

// Every page reads the session cookie (the header shows a signed-in moderator), so none is prerendered.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  // An embed page (the server sets this header for /embed/* only): the discussion alone, in the host's theme.
  const embedTheme = (await headers()).get(EMBED_THEME_HEADER);
  if (embedTheme) {
    return (
      <html lang="en" className={`embed theme-${embedTheme}`}>
        <body>{children}</body>
      </html>
    );
  }
  const person = await viewerPerson();
  const staff = person && isStaffRole(person.role) ? person : null;
  // The reader's language, from Accept-Language: <html lang> and every component's words (app/i18n).
  const locale = await requestLocale();
  const t = translatorFor(locale);
  return (
    <html lang={locale}>
      <body>
        <I18nProvider locale={locale}>
        <SiteHeader t={t} staff={staff} link={Link} signOut={<SignOutButton />} bell={person ? <Bell staff={staff !== null} socket="own" /> : null} />
        <main id="main" className="site-main">
          {children}
        </main>
        <SiteFooter t={t} />
        </I18nProvider>
      </body>
    </html>
  );
}
