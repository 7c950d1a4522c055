import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { EMBED_THEME_HEADER } from '../lib/domain/embed';
import { SignOutButton } from './components/staff/SignOutButton';
import { viewerStaff } from './components/viewer';
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
  const staff = await viewerStaff();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="site-header-inner">
            <Link href="/" className="brand">
              Threadline
            </Link>
            <span className="tagline">News and the discussion around it</span>
            {staff ? (
              <nav className="staff-nav" aria-label="Moderation">
                <Link href="/moderate" className="header-link">
                  Moderate
                </Link>
                <span className="staff-name">{staff.username}</span>
                <SignOutButton />
              </nav>
            ) : null}
          </div>
        </header>
        <main id="main" className="site-main">
          {children}
        </main>
        <footer className="site-footer">
          <p>Threadline — a self-hosted, real-time comment board.</p>
        </footer>
      </body>
    </html>
  );
}
