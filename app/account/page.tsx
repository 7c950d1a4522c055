import { headers } from 'next/headers';
import { readOwnCookie, STAFF_COOKIE } from '../../lib/domain/cookieNames';
import { GUEST_COOKIE, verifyGuestToken } from '../../lib/domain/guestToken';
import { getServices } from '../../lib/services/registry';
import { ownAccount } from '../../lib/services/ownDataService';
import { AccountSettings } from '../components/account/AccountSettings';
import { EmailSettings } from '../components/account/EmailSettings';
import { NoticeSettings } from '../components/account/NoticeSettings';
import { firstParam, type SearchParams } from '../components/viewer';
import { serverTranslator, translatedTitle } from '../i18n/server';
import { TitledPage } from '../components/TitledPage';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('account.title');

/**
 * A signed-in person's own settings (issue 16.4): read here on the server, for them alone (the
 * page is never shared or cached); changed by AccountSettings through /api/me. Readers' pages
 * load none of it.
 */
export default async function AccountPage({ searchParams }: { searchParams: SearchParams }) {
  const t = await serverTranslator();
  const cookie = (await headers()).get('cookie');
  const services = getServices();
  const session = await services.auth.person(readOwnCookie(cookie, STAFF_COOKIE).value);
  if (!session) {
    return (
      <TitledPage headingId="account-heading" className="narrow" title={t.t('account.title')}>
        <p>
          {t.t('account.signedOut')} {/* A plain link: /signin is its own page (another part of issue 16). */}
          <a href="/signin?next=%2Faccount">{t.t('account.signIn')}</a>
        </p>
      </TitledPage>
    );
  }
  const { user, sessionId } = session;
  const guestId = verifyGuestToken(readOwnCookie(cookie, GUEST_COOKIE).value, services.sessionSecret);
  const [sessions, guestComments, emailSettings, mutes, threads] = await Promise.all([
    services.ownData.listSessions({ user, currentSessionId: sessionId }),
    guestId && guestId !== user.id ? services.ownData.guestComments(guestId) : Promise.resolve(0),
    services.mail.settings(user),
    services.notifications.mutes(user.id),
    services.notifications.watches(user.id),
  ]);
  const query = await searchParams;
  return (
    <TitledPage headingId="account-heading" className="narrow" title={t.t('account.title')}>
      <AccountSettings account={ownAccount(user)} sessions={sessions} guestComments={guestComments} />
      <EmailSettings t={t} settings={emailSettings} outcome={{ email: firstParam(query.email), to: firstParam(query.to), emailError: firstParam(query.emailError) }} />
      <NoticeSettings t={t} mutes={mutes} threads={threads} outcome={{ done: firstParam(query.notices), error: firstParam(query.noticesError), field: firstParam(query.field) }} />
    </TitledPage>
  );
}
