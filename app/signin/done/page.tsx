import Link from 'next/link';
import { safeNextPath } from '../../../lib/domain/nextPath';
import { firstParam, type SearchParams } from '../../components/viewer';
import { errorKey } from '../../i18n/errorMessage';
import { serverTranslator, translatedTitle } from '../../i18n/server';
import type { MessageKey } from '../../i18n/translator';
import { PopupHandoff } from '../PopupHandoff';
import { PopupReport } from './PopupReport';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('oidc.doneTitle');

const REASONS = new Set(['unknown_provider', 'state_missing', 'state_mismatch', 'access_denied', 'provider_error', 'code_missing', 'code_rejected', 'id_token_invalid']);

/**
 * Where a sign-in through a provider ends when it does not go straight back: a failure (what went
 * wrong, and a way back), or the end of a popup, which tells its opener and closes
 * (server/http/oidcRoutes.ts signInDonePath: `?popup=1&error=<code>&reason=<reason>&next=<path>`).
 */
export default async function SignInDonePage({ searchParams }: { searchParams: SearchParams }) {
  const t = await serverTranslator();
  const query = await searchParams;
  const popup = firstParam(query.popup) === '1';
  const error = firstParam(query.error);
  const reason = firstParam(query.reason);
  const next = safeNextPath(firstParam(query.next));
  const knownReason = reason && REASONS.has(reason) ? reason : null;
  return (
    <section className="narrow" aria-labelledby="signin-done-heading">
      {/* Signed in: the frame that opened the popup gets a one-time code for a session of its own (PopupHandoff), as after an email link. */}
      {popup && error ? <PopupReport message={{ ok: false, error, reason: knownReason }} /> : null}
      {popup && !error ? <PopupHandoff signedInNow /> : null}
      <h1 id="signin-done-heading" className="page-title">
        {t.t(error ? 'oidc.failedTitle' : 'oidc.doneTitle')}
      </h1>
      {error ? (
        <>
          <p role="alert" data-error-code={error} data-reason={knownReason ?? undefined}>
            {t.t(errorKey(error))} {knownReason && t.t(`oidc.reason.${knownReason}` as MessageKey)}
          </p>
          <p>{popup ? t.t('oidc.close') : <Link href={next}>{t.t('oidc.tryAgain')}</Link>}</p>
        </>
      ) : (
        <p role="status">{popup ? t.t('oidc.signedIn') : <Link href={next}>{t.t('oidc.signedIn')}</Link>}</p>
      )}
    </section>
  );
}
