'use client';

import { useState, type FormEvent } from 'react';
import type { OwnAccount, SessionViewWire } from '../../../lib/contract/ownData';
import { useTranslator } from '../../i18n/I18nProvider';
import { errorKey } from '../../i18n/errorMessage';
import { FormSubmit } from '../FormSubmit';
import { accountApi } from './accountApi';

interface Props {
  account: OwnAccount;
  sessions: SessionViewWire[];
  /** Comments this browser's guest wrote, offered to claim. */
  guestComments: number;
}

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The one text field of a form this page sends by script (so the browser's own submit is stopped). */
function submittedField(e: FormEvent<HTMLFormElement>, name: string): string {
  e.preventDefault();
  return String(new FormData(e.currentTarget).get(name) ?? '');
}

/**
 * A signed-in person's settings (docs/api.md, "Your own data"): their name, what they wrote as a
 * guest in this browser, their devices, their data to download, and deleting the account. The page
 * reads everything on the server; this component only sends the changes.
 */
export function AccountSettings({ account: initial, sessions: initialSessions, guestComments }: Props) {
  const t = useTranslator();
  const [account, setAccount] = useState(initial);
  const [sessions, setSessions] = useState(initialSessions);
  const [unclaimed, setUnclaimed] = useState(guestComments);
  const [note, setNote] = useState<{ section: string; text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const say = (section: string, text: string, error = false) => setNote({ section, text, error });
  const noteFor = (section: string) =>
    note?.section === section ? (
      <p className={note.error ? 'form-note form-error' : 'form-note'} role={note.error ? 'alert' : 'status'}>
        {note.text}
      </p>
    ) : null;

  /** Sends one change with the page's buttons disabled until its answer is in. */
  async function whileBusy<T>(change: () => Promise<T>): Promise<T> {
    setBusy(true);
    const result = await change();
    setBusy(false);
    return result;
  }

  async function refreshSessions() {
    const listed = await accountApi.sessions();
    if (listed.ok) setSessions(listed.data);
  }

  async function rename(e: FormEvent<HTMLFormElement>) {
    const displayName = submittedField(e, 'displayName');
    const result = await whileBusy(() => accountApi.rename(displayName));
    if (result.ok) {
      setAccount(result.data);
      say('name', t.t('account.renamed', { name: result.data.displayName }));
    } else say('name', t.t(errorKey(result.error.code)), true);
  }

  async function claim() {
    const result = await whileBusy(() => accountApi.claimGuest());
    if (result.ok) {
      setUnclaimed(0);
      say('claim', t.t('account.claimed', { count: result.data }));
    } else say('claim', t.t(errorKey(result.error.code)), true);
  }

  async function signOutOthers() {
    const result = await whileBusy(() => accountApi.signOutOthers());
    if (result.ok) say('sessions', t.t('account.signedOutOthers', { count: result.data }));
    else say('sessions', t.t(errorKey(result.error.code)), true);
    await refreshSessions();
  }

  async function signOut(id: string) {
    const result = await accountApi.signOut(id);
    if (!result.ok) say('sessions', t.t(errorKey(result.error.code)), true);
    await refreshSessions();
  }

  async function deleteAccount(e: FormEvent<HTMLFormElement>) {
    const confirm = submittedField(e, 'confirm');
    const result = await whileBusy(() => accountApi.deleteAccount(confirm));
    if (result.ok) window.location.assign('/');
    else say('delete', result.error.code === 'invalid_request' ? t.t('account.deleteMismatch') : t.t(errorKey(result.error.code)), true);
  }

  const others = sessions.filter((s) => !s.current).length;
  return (
    <div className="account-settings">
      {unclaimed > 0 ? (
        <section className="account-section account-claim" aria-labelledby="account-claim-heading">
          <h2 id="account-claim-heading">{t.t('account.claimTitle')}</h2>
          <p>{t.t('account.claimOffer', { count: unclaimed })}</p>
          <button type="button" className="button button-primary" onClick={claim} disabled={busy}>
            {t.t('account.claim')}
          </button>
        </section>
      ) : null}
      {noteFor('claim')}

      <section className="account-section" aria-labelledby="account-name-heading">
        <h2 id="account-name-heading">{t.t('account.nameTitle')}</h2>
        <form className="comment-form" onSubmit={rename}>
          <label className="form-label" htmlFor="account-name">
            {t.t('account.displayName')}
          </label>
          <input id="account-name" name="displayName" className="form-input" defaultValue={account.displayName} maxLength={50} required />
          <p className="form-note">{t.t('account.nameNote')}</p>
          {noteFor('name')}
          <FormSubmit className="button button-primary" disabled={busy}>{t.t('account.saveName')}</FormSubmit>
        </form>
      </section>

      <section className="account-section" aria-labelledby="account-sessions-heading">
        <h2 id="account-sessions-heading">{t.t('account.sessionsTitle')}</h2>
        <p className="account-session-count">{t.t('account.sessionCount', { count: sessions.length })}</p>
        <ul className="account-sessions">
          {sessions.map((s) => (
            <li key={s.id} className="account-session" data-current={s.current ? 'true' : undefined}>
              <strong>{s.browser}</strong> {s.current ? <em>({t.t('account.thisDevice')})</em> : null}
              <br />
              <small>
                {t.t('account.sessionDates', { created: when(s.createdAt), seen: when(s.lastSeenAt) })}
                {s.method ? ` · ${s.method}` : ''}
              </small>{' '}
              {s.current ? null : (
                <button type="button" className="link-button" onClick={() => void signOut(s.id)}>
                  {t.t('account.signOutSession')}
                </button>
              )}
            </li>
          ))}
        </ul>
        {others > 0 ? (
          <button type="button" className="button" onClick={signOutOthers} disabled={busy}>
            {t.t('account.signOutOthers')}
          </button>
        ) : null}
        {noteFor('sessions')}
      </section>

      <section className="account-section" aria-labelledby="account-data-heading">
        <h2 id="account-data-heading">{t.t('account.dataTitle')}</h2>
        <p>{t.t('account.dataNote')}</p>
        <a className="button" href="/api/me/export" download>
          {t.t('account.download')}
        </a>
      </section>

      <section className="account-section account-danger" aria-labelledby="account-delete-heading">
        <h2 id="account-delete-heading">{t.t('account.deleteTitle')}</h2>
        <p>{t.t('account.deleteNote')}</p>
        <form className="comment-form" onSubmit={deleteAccount}>
          <label className="form-label" htmlFor="account-confirm">
            {t.t('account.deleteConfirm', { name: account.displayName })}
          </label>
          <input id="account-confirm" name="confirm" className="form-input" autoComplete="off" required />
          {noteFor('delete')}
          <FormSubmit className="button" disabled={busy}>{t.t('account.delete')}</FormSubmit>
        </form>
      </section>
    </div>
  );
}
