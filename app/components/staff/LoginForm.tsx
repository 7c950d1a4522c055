'use client';

import { useState, type FormEvent } from 'react';
import { safeNextPath } from '../../../lib/domain/nextPath';
import { signInErrorKey } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';
import { FormSubmit } from '../FormSubmit';
import { serverApi } from '../serverApi';

/**
 * Moderators and admins sign in here; the session cookie is httpOnly, set by the server. Live, the
 * form signs in over the API; before that (or without JavaScript) it posts to the server, which
 * signs in and sends the browser on. Either way only to a path on this site.
 */
export function LoginForm({ next, initialError }: { next: string; initialError: string | null }) {
  const t = useTranslator();
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const result = await serverApi.login(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
    setBusy(false);
    // `next` was checked on the server already; checked again here, where the browser is sent.
    if (result.ok) window.location.assign(safeNextPath(next));
    else setError(t.t(signInErrorKey(result.error.code)));
  };

  return (
    // method="post": a submit before the page is live (or without JavaScript) must not put the password in the URL.
    <form className="comment-form login-form" method="post" action="/login" onSubmit={submit} aria-label={t.t('login.title')}>
      <input type="hidden" name="next" value={next} />
      <label className="form-label" htmlFor="login-username">
        {t.t('login.username')}
      </label>
      <input id="login-username" name="username" className="form-input" autoComplete="username" required autoFocus />
      <label className="form-label" htmlFor="login-password">
        {t.t('login.password')}
      </label>
      <input id="login-password" name="password" type="password" className="form-input" autoComplete="current-password" required />
      {error ? (
        <p className="form-note form-error" role="alert">
          {error}
        </p>
      ) : null}
      <FormSubmit className="button button-primary" disabled={busy}>{t.t('login.submit')}</FormSubmit>
    </form>
  );
}
