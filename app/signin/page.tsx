import Link from 'next/link';
import { safeNextPath } from '../../lib/domain/nextPath';
import { firstParam, type SearchParams } from '../components/viewer';
import { errorKey } from '../i18n/errorMessage';
import { serverTranslator, translatedTitle } from '../i18n/server';
import type { MessageKey } from '../i18n/translator';
import { oidcStartPath } from './oidcStart';
import { PopupHandoff } from './PopupHandoff';
import { offeredMethods, signedInPerson } from './signedIn';
import { FormSubmit } from '../components/FormSubmit';
import { TitledPage } from '../components/TitledPage';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('signin.title');

const LINK_REASONS = ['malformed', 'unknown', 'expired', 'used', 'other_browser'] as const;

/** Why the page was shown again: a refused link in its own words, else the error code's message. */
function problemKey(error: string | undefined, reason: string | undefined): MessageKey | null {
  if (!error) return null;
  const known = LINK_REASONS.find((r) => r === reason);
  if (error === 'sign_in_link_invalid' && known) return `signin.link.${known}`;
  if (error === 'rate_limited') return 'login.tooManyAttempts';
  return errorKey(error);
}

/**
 * Where a commenter signs in (docs/api.md, "Signing in"): the methods this site has configured, each a
 * plain form or link that works without JavaScript. `?next=` is where to go after (a path on this site
 * only); `?popup=1` is the embed's popup, which hands the sign-in back to the frame (docs/embed.md).
 */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const t = await serverTranslator();
  const query = await searchParams;
  const popup = firstParam(query.popup) === '1';
  const next = safeNextPath(firstParam(query.next), '/');
  const person = await signedInPerson();
  const methods = offeredMethods();
  const problem = problemKey(firstParam(query.error), firstParam(query.reason));
  const sent = firstParam(query.sent) === '1';
  const anyMethod = methods.email || methods.oidc.length > 0;

  return (
    <TitledPage headingId="signin-heading" className="narrow sign-in-page" title={t.t('signin.title')}>
      {person ? (
        <>
          <p>{t.t('signin.signedIn', { name: person.displayName })}</p>
          {popup ? (
            <PopupHandoff signedInNow />
          ) : (
            <p>
              <Link href={next}>{t.t('signin.continue')}</Link>
            </p>
          )}
        </>
      ) : (
        <>
          {problem ? (
            <p className="banner form-error" role="alert" data-testid="signin-problem">
              {t.t(problem)}
            </p>
          ) : null}
          {sent ? (
            <p className="banner" role="status" data-testid="signin-sent">
              {t.t('signin.email.sent')}
            </p>
          ) : null}
          {sent && popup ? <PopupHandoff signedInNow={false} /> : null}
          <p className="empty-state">{anyMethod ? t.t('signin.intro') : t.t('signin.none')}</p>

          <h2 className="section-title">{t.t('signin.email.heading')}</h2>
          {methods.email ? (
            <form className="comment-form sign-in-email" method="post" action="/signin/email" aria-label={t.t('signin.email.heading')}>
              <input type="hidden" name="next" value={next} />
              {popup ? <input type="hidden" name="popup" value="1" /> : null}
              <label className="form-label" htmlFor="signin-email">
                {t.t('signin.email.label')}
              </label>
              <input id="signin-email" name="email" type="email" className="form-input" autoComplete="email" required maxLength={254} />
              <p className="form-note">{t.t('signin.email.hint')}</p>
              <FormSubmit className="button button-primary">{t.t('signin.email.submit')}</FormSubmit>
            </form>
          ) : (
            <p className="form-note" data-testid="signin-email-off">
              {t.t('signin.email.off')}
            </p>
          )}

          {methods.oidc.length > 0 ? (
            <>
              <h2 className="section-title">{t.t('signin.oidc.heading')}</h2>
              <ul className="sign-in-providers">
                {methods.oidc.map((provider) => (
                  <li key={provider.id}>
                    {/* A popup's sign-in ends at /signin/done?popup=1, which hands the frame its code as this page does. */}
                    <a className="button" href={oidcStartPath(provider.id, { next, popup })} data-oidc-provider={provider.id}>
                      {t.t('signin.oidc.button', { name: provider.label })}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}

          {popup ? null : (
            <p className="form-note">
              <Link href={`/login?${new URLSearchParams({ next: '/moderate' }).toString()}`}>{t.t('signin.staff')}</Link>
            </p>
          )}
        </>
      )}
    </TitledPage>
  );
}
