'use client';

import { useState } from 'react';
import { useTranslator } from '../../i18n/I18nProvider';
import { serverApi } from '../serverApi';
import type { DeadLetter } from '../../../lib/contract/mail';
import { DeadLetters } from './DeadLetters';

interface UserRow {
  username: string;
  role: string;
  removedAt: string | null;
}

/** Admins only: the banned-words list, the moderators' accounts, and the mail that could not be sent. */
export function AdminPanel({ words: initialWords, users: initialUsers, me, deadLetters }: { words: string[]; users: UserRow[]; me: string; deadLetters: DeadLetter[] }) {
  const t = useTranslator();
  const [words, setWords] = useState(initialWords.join('\n'));
  const [users, setUsers] = useState(initialUsers);
  const [message, setMessage] = useState<string | null>(null);

  const saveWords = async () => {
    const list = words.split('\n').map((w) => w.trim()).filter(Boolean);
    const result = await serverApi.saveBannedWords(list);
    if (result.ok) {
      setWords(result.data.join('\n'));
      setMessage(t.t('admin.saved', { count: result.data.length }));
    } else setMessage(t.t(result.error.message));
  };

  const remove = async (username: string) => {
    if (!window.confirm(t.t('admin.removeConfirm', { name: username }))) return;
    const result = await serverApi.removeUser(username);
    if (result.ok) setUsers((list) => list.map((u) => (u.username === username ? { ...u, removedAt: new Date().toISOString() } : u)));
    else setMessage(t.t('admin.notRemoved'));
  };

  return (
    <section className="admin-panel" aria-labelledby="admin-heading">
      <h2 id="admin-heading">{t.t('admin.title')}</h2>
      {message ? <p role="status">{message}</p> : null}
      <div className="admin-columns">
        <div>
          <h3>
            <label htmlFor="banned-words">{t.t('admin.words')}</label>
          </h3>
          <p className="form-note">{t.t('admin.wordsNote')}</p>
          <textarea id="banned-words" className="form-textarea" rows={6} value={words} onChange={(e) => setWords(e.target.value)} />
          <div className="form-actions">
            <button type="button" className="button" onClick={() => void saveWords()}>
              {t.t('admin.saveWords')}
            </button>
          </div>
        </div>
        <div>
          <h3>{t.t('admin.accounts')}</h3>
          <ul className="admin-users">
            {users.map((u) => (
              <li key={u.username}>
                <strong>{u.username}</strong> · {u.role}
                {u.removedAt ? (
                  <em> · {t.t('admin.removed')}</em>
                ) : u.username !== me ? (
                  <>
                    {' '}
                    ·{' '}
                    <button type="button" className="link-button" onClick={() => void remove(u.username)}>
                      {t.t('admin.remove')}
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          <p className="form-note">
            {t.t('admin.newAccounts')} <code>npm run user:create -- --username NAME --role moderator</code>
          </p>
          <p>
            <a href="/moderate/audit">{t.t('admin.auditLink')}</a>
          </p>
        </div>
      </div>
      <DeadLetters initial={deadLetters} />
    </section>
  );
}
