import Link from 'next/link';
import { safeNextPath } from '../../lib/domain/nextPath';
import { LoginForm } from '../components/staff/LoginForm';
import { firstParam, viewerStaff } from '../components/viewer';
import { signInErrorKey } from '../i18n/errorMessage';
import { serverTranslator, translatedTitle } from '../i18n/server';
import { getServices } from '../../lib/services/registry';
import { OidcButtons } from '../signin/OidcButtons';
import { TitledPage } from '../components/TitledPage';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('login.title');

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await viewerStaff();
  const t = await serverTranslator();
  const query = await searchParams;
  // Only a path on this site may follow a sign-in, never another origin (lib/domain/nextPath.ts).
  const next = safeNextPath(firstParam(query.next));
  // Sent back here by the form without JavaScript (server/http/signInForm.ts): why it did not work.
  const error = firstParam(query.error);
  return (
    <TitledPage headingId="login-heading" className="narrow" title={t.t('login.title')}>
      {staff ? (
        <p>
          {t.t('login.signedInAs', { name: staff.username, role: staff.role })} <Link href="/moderate">{t.t('login.toDesk')}</Link>.
        </p>
      ) : (
        <>
          <p className="empty-state">{t.t('login.intro')}</p>
          {/* Moderators sign in through the site's providers too; the password stays for admins and sites without one. */}
          <OidcButtons providers={getServices().oidc.providers()} next={next} />
          <LoginForm next={next} initialError={error ? t.t(signInErrorKey(error)) : null} />
        </>
      )}
    </TitledPage>
  );
}
