import type { Translator } from '../i18n/translator';
import type { SiteLink } from './SiteChrome';

/** What an address with nothing behind it shows, on the app router's pages and the reader pages alike. */
export function NotFoundMessage({ t, link: Link }: { t: Translator; link: SiteLink }) {
  return (
    <div className="empty-state">
      <h1>{t.t('notFound.title')}</h1>
      <p>{t.t('notFound.text')}</p>
      <p>
        <Link href="/">{t.t('notFound.link')}</Link>
      </p>
    </div>
  );
}
