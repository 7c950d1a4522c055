import Link from 'next/link';
import { LoginForm } from '../components/staff/LoginForm';
import { firstParam, viewerStaff } from '../components/viewer';
import { serverTranslator, translatedTitle } from '../i18n/server';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('login.title');

/** Only a path on this site may follow a sign-in, never another origin. */
function safeNext(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/moderate';
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await viewerStaff();
  const t = await serverTranslator();
  const next = safeNext(firstParam((await searchParams).next));
  return (
    <section className="narrow" aria-labelledby="login-heading">
      <h1 id="login-heading" className="page-title">
        {t.t('login.title')}
      </h1>
      {staff ? (
        <p>
          {t.t('login.signedInAs', { name: staff.username, role: staff.role })} <Link href="/moderate">{t.t('login.toDesk')}</Link>.
        </p>
      ) : (
        <>
          <p className="empty-state">{t.t('login.intro')}</p>
          <LoginForm next={next} />
        </>
      )}
    </section>
  );
}
