import type { ComponentType, ReactNode } from 'react';
import type { Translator } from '../i18n/translator';

/** A link as the page renders it: Next.js's `Link` on the app router's pages, a plain `<a>` on the reader pages. */
export type SiteLink = ComponentType<{ href: string; className?: string; children: ReactNode }>;

export const PlainLink: SiteLink = ({ href, className, children }) => (
  <a href={href} className={className}>
    {children}
  </a>
);

/**
 * The site's header: the name, the tagline and, for a signed-in moderator, the way to the desk and
 * out (`signOut`: the button, which each kind of page makes interactive in its own way). A page that is
 * the same for everyone has no moderator to show: `staffSlot` takes their links after load.
 */
export function SiteHeader({
  t,
  staff,
  link: Link,
  signOut,
  staffSlot,
  bell,
}: {
  t: Translator;
  staff: { username: string } | null;
  link: SiteLink;
  signOut: ReactNode;
  staffSlot?: ReactNode;
  /** A signed-in person's bell (app/components/bell), on the pages that know who reads them. */
  bell?: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        {t.t('site.skip')}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href="/" className="brand">
            Threadline
          </Link>
          <span className="tagline">{t.t('site.tagline')}</span>
          {bell ?? null}
          {staff ? <StaffNav t={t} username={staff.username} link={Link} signOut={signOut} /> : (staffSlot ?? null)}
        </div>
      </header>
    </>
  );
}

/** A signed-in moderator's links in the header: to the desk, their name, and out. */
export function StaffNav({ t, username, link: Link, signOut }: { t: Translator; username: string; link: SiteLink; signOut: ReactNode }) {
  return (
    <nav className="staff-nav" aria-label={t.t('site.staffNav')}>
      <Link href="/moderate" className="header-link">
        {t.t('site.moderate')}
      </Link>
      <span className="staff-name">{username}</span>
      {signOut}
    </nav>
  );
}

export function SiteFooter({ t }: { t: Translator }) {
  return (
    <footer className="site-footer">
      <p>{t.t('site.footer')}</p>
    </footer>
  );
}
