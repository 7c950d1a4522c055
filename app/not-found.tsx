import Link from 'next/link';
import { serverTranslator } from './i18n/server';

export default async function NotFound() {
  const t = await serverTranslator();
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
