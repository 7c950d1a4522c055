import { EMAIL_KIND_KEYS } from '../../i18n/emailKinds';
import type { NotificationSettings } from '../../../lib/contract/mail';
import type { EmailChoice, EmailKind } from '../../../lib/domain/notifications';
import type { MessageKey, Translator } from '../../i18n/translator';
import { errorKey } from '../../i18n/errorMessage';
import { FormSubmit } from '../FormSubmit';

const CHOICE_KEYS: Record<EmailChoice, MessageKey> = { immediate: 'email.choice.immediate', daily: 'email.choice.daily', never: 'email.choice.never' };

/** What the last form post did, as its redirect said it (server/http/mailRoutes.ts): `?email=` or `?emailError=`. */
export interface EmailOutcome {
  email?: string | undefined;
  to?: string | undefined;
  emailError?: string | undefined;
}

/**
 * The account page's email section (docs/email.md): the address notices are mailed to and its
 * confirmation, and the choice per kind. Rendered on the server as plain forms that post to
 * /account/email and /account/notification-settings and come back here: it works without
 * JavaScript, and needs none with it.
 */
export function EmailSettings({ t, settings, outcome }: { t: Translator; settings: NotificationSettings; outcome: EmailOutcome }) {
  const said =
    outcome.emailError !== undefined
      ? { text: t.t(errorKey(outcome.emailError)), error: true }
      : outcome.email === 'sent'
        ? { text: t.t('email.sent', { address: outcome.to ?? '' }), error: false }
        : outcome.email === 'verified'
          ? { text: t.t('email.verifiedNow'), error: false }
          : outcome.email === 'saved'
            ? { text: t.t('email.saved'), error: false }
            : null;
  const kinds = Object.keys(settings.allowed) as EmailKind[];
  return (
    <section className="account-section" id="email" aria-labelledby="account-email-heading">
      <h2 id="account-email-heading">{t.t('email.title')}</h2>
      {said ? (
        <p className={said.error ? 'form-note form-error' : 'form-note'} role={said.error ? 'alert' : 'status'}>
          {said.text}
        </p>
      ) : null}
      {!settings.emailEnabled ? <p className="form-note">{t.t('email.off')}</p> : null}
      <h3>{t.t('email.addressTitle')}</h3>
      <p>{settings.email.verified && settings.email.address ? t.t('email.verified', { address: settings.email.address }) : t.t('email.none')}</p>
      {settings.email.pending ? <p className="form-note">{t.t('email.pending', { address: settings.email.pending })}</p> : null}
      {settings.emailEnabled ? (
        <form className="comment-form" method="post" action="/account/email">
          <label className="form-label" htmlFor="account-email">
            {t.t('email.newAddress')}
          </label>
          <input id="account-email" name="email" type="email" className="form-input" autoComplete="email" maxLength={254} required />
          <p className="form-note">{t.t('email.addressNote')}</p>
          <FormSubmit className="button button-primary">{t.t('email.send')}</FormSubmit>
        </form>
      ) : null}
      <form className="comment-form" method="post" action="/account/notification-settings">
        <h3>{t.t('email.choicesTitle')}</h3>
        {kinds.map((kind) => (
          <fieldset key={kind} className="email-choice">
            <legend>{t.t(EMAIL_KIND_KEYS[kind])}</legend>
            {settings.allowed[kind]!.map((choice) => (
              <label key={choice} className="email-choice-option">
                <input type="radio" name={kind} value={choice} defaultChecked={settings.choices[kind] === choice} /> {t.t(CHOICE_KEYS[choice])}
              </label>
            ))}
          </fieldset>
        ))}
        <FormSubmit className="button">{t.t('email.save')}</FormSubmit>
      </form>
    </section>
  );
}
