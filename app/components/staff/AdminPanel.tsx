'use client';

import { useState } from 'react';

interface UserRow {
  username: string;
  role: string;
  removedAt: string | null;
}

/** Admins only: the banned-words list and the moderators' accounts. */
export function AdminPanel({ words: initialWords, users: initialUsers, me }: { words: string[]; users: UserRow[]; me: string }) {
  const [words, setWords] = useState(initialWords.join('\n'));
  const [users, setUsers] = useState(initialUsers);
  const [message, setMessage] = useState<string | null>(null);

  const saveWords = async () => {
    const list = words.split('\n').map((w) => w.trim()).filter(Boolean);
    const res = await fetch('/api/moderation/banned-words', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ words: list }) }).catch(() => null);
    const json = res ? ((await res.json().catch(() => ({}))) as { words?: string[]; error?: { message: string } }) : {};
    if (res?.ok && json.words) {
      setWords(json.words.join('\n'));
      setMessage(`Saved ${json.words.length} banned words.`);
    } else setMessage(json.error?.message ?? 'Could not save.');
  };

  const remove = async (username: string) => {
    if (!window.confirm(`Remove ${username}? Their sessions end at once, on every node.`)) return;
    const res = await fetch(`/api/users/${username}`, { method: 'DELETE' }).catch(() => null);
    if (res?.ok) setUsers((list) => list.map((u) => (u.username === username ? { ...u, removedAt: new Date().toISOString() } : u)));
    else setMessage('Could not remove the account.');
  };

  return (
    <section className="admin-panel" aria-labelledby="admin-heading">
      <h2 id="admin-heading">Administration</h2>
      {message ? <p role="status">{message}</p> : null}
      <div className="admin-columns">
        <div>
          <h3>
            <label htmlFor="banned-words">Banned words</label>
          </h3>
          <p className="form-note">One per line. Comments containing one (as a whole word) are held for review.</p>
          <textarea id="banned-words" className="form-textarea" rows={6} value={words} onChange={(e) => setWords(e.target.value)} />
          <div className="form-actions">
            <button type="button" className="button" onClick={() => void saveWords()}>
              Save words
            </button>
          </div>
        </div>
        <div>
          <h3>Accounts</h3>
          <ul className="admin-users">
            {users.map((u) => (
              <li key={u.username}>
                <strong>{u.username}</strong> · {u.role}
                {u.removedAt ? (
                  <em> · removed</em>
                ) : u.username !== me ? (
                  <>
                    {' '}
                    ·{' '}
                    <button type="button" className="link-button" onClick={() => void remove(u.username)}>
                      Remove
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          <p className="form-note">
            New accounts: <code>npm run user:create -- --username NAME --role moderator</code>
          </p>
          <p>
            <a href="/moderate/audit">Audit log →</a>
          </p>
        </div>
      </div>
    </section>
  );
}
