'use client';

import { useState } from 'react';
import type { DeadLetter } from '../../../lib/contract/mail';
import { useTranslator } from '../../i18n/I18nProvider';
import { errorKey } from '../../i18n/errorMessage';
import { serverApi } from '../serverApi';

/**
 * Admins only: the mails given up (docs/email.md, "Dead letters"): to whom, what about, why, with a
 * button that sends each again once the mail server works. Never their text.
 */
export function DeadLetters({ initial }: { initial: DeadLetter[] }) {
  const t = useTranslator();
  const [mails, setMails] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);

  const retry = async (id: string) => {
    const result = await serverApi.retryMail(id);
    if (result.ok || result.error.code === 'mail_not_found') setMails((list) => list.filter((m) => m.id !== id));
    setMessage(result.ok ? t.t('admin.mailRetried') : t.t(errorKey(result.error.code)));
  };

  return (
    <div className="admin-mail">
      <h3>{t.t('admin.mailTitle')}</h3>
      {message ? <p role="status">{message}</p> : null}
      {mails.length === 0 ? (
        <p className="form-note">{t.t('admin.mailNone')}</p>
      ) : (
        <>
          <p className="form-note">{t.t('admin.mailNote')}</p>
          <ul className="admin-dead-letters">
            {mails.map((m) => (
              <li key={m.id}>
                <strong>{m.to}</strong> · {m.kind} · {t.t('admin.mailAttempts', { count: m.attempts })} · {new Date(m.finishedAt ?? m.createdAt).toLocaleString()}
                {m.lastError ? <div className="form-note">{m.lastError}</div> : null}
                <button type="button" className="link-button" onClick={() => void retry(m.id)}>
                  {t.t('admin.mailRetry')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
