'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId, useState } from 'react';
import type { PersonPage } from '../../../lib/contract/people';
import { ACCOUNT_ROLES, BADGES, type AccountRole, type Badge } from '../../../lib/domain/identity';
import { useTranslator } from '../../i18n/I18nProvider';
import { reportCategoryLabel } from '../labels';
import { AuthorBadges } from '../live/AuthorBadges';
import type { ApiResult } from '../serverApi';
import { BanDialog } from './BanDialog';
import { MessageBanner } from './MessageBanner';
import { personApi } from './personApi';

/**
 * A person as moderators see them (app/moderate/people/[personId]): who they are, what they wrote and
 * what was done about it, with the decisions taken here (ban, notes, trust, shadow-ban; an admin's
 * role and badges). Each decision reloads the page's data from the server, which alone decides.
 */
export function PersonPanel({ page, admin }: { page: PersonPage; admin: boolean }) {
  const t = useTranslator();
  const router = useRouter();
  const id = useId();
  const { person, comments, reports, actions, bans, notes } = page;
  const [message, setMessage] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [banAsked, setBanAsked] = useState(0);
  const [badges, setBadges] = useState<Badge[]>(person.badges);
  const name = person.displayName ?? t.t('comment.anonymous');
  // Until the page is live its buttons would do nothing (or submit the note form as a plain GET): they wait.
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);

  /** A decision: refused, its message; done, the page's data read again. */
  async function decide(result: Promise<ApiResult<void>>, done?: () => void): Promise<void> {
    const answer = await result;
    if (!answer.ok) return setMessage(t.t(answer.error.message));
    setMessage(null);
    done?.();
    router.refresh();
  }

  return (
    <section aria-labelledby={`${id}-name`} className="person-page">
      <h1 id={`${id}-name`} className="page-title">
        <bdi>{name}</bdi> <AuthorBadges badges={person.badges} />
      </h1>
      <MessageBanner text={message} role="alert" />
      <dl className="person-facts">
        <dt>{t.t('person.kind')}</dt>
        <dd>{t.t(person.kind === 'account' ? 'person.account' : 'person.guest')}</dd>
        {person.role ? (
          <>
            <dt>{t.t('person.role')}</dt>
            <dd data-testid="person-role">{person.role}</dd>
          </>
        ) : null}
        {person.email ? (
          <>
            <dt>{t.t('person.email')}</dt>
            <dd>{person.email}</dd>
          </>
        ) : null}
        {person.createdAt ? (
          <>
            <dt>{t.t('person.since')}</dt>
            <dd>{t.localDate(person.createdAt)}</dd>
          </>
        ) : null}
        {person.sessions !== null ? (
          <>
            <dt>{t.t('person.sessions')}</dt>
            <dd>{person.sessions}</dd>
          </>
        ) : null}
        <dt>{t.t('person.trusted')}</dt>
        <dd>{t.t(person.trusted ? 'person.yes' : 'person.no')}</dd>
        <dt>{t.t('person.shadowBanned')}</dt>
        <dd>{t.t(person.shadowBanned ? 'person.yes' : 'person.no')}</dd>
      </dl>

      <div className="person-actions">
        <button type="button" className="button" disabled={!live} onClick={() => setBanAsked((n) => n + 1)}>
          {t.t('person.ban')}
        </button>
        {person.kind === 'account' ? (
          <>
            <button type="button" className="button" disabled={!live} aria-pressed={person.trusted} onClick={() => void decide(personApi.setTrusted(person.id, !person.trusted))}>
              {t.t(person.trusted ? 'person.untrust' : 'person.trust')}
            </button>
            <button type="button" className="button" disabled={!live} aria-pressed={person.shadowBanned} onClick={() => void decide(personApi.setShadowBanned(person.id, !person.shadowBanned))}>
              {t.t(person.shadowBanned ? 'person.unshadowBan' : 'person.shadowBan')}
            </button>
          </>
        ) : null}
      </div>
      {banAsked > 0 ? (
        <BanDialog
          guest={{ guestId: person.id, name: person.displayName, kind: person.kind }}
          asked={banAsked}
          onBanned={(text) => {
            setMessage(text);
            router.refresh();
          }}
          onClose={() => undefined}
        />
      ) : null}

      {admin && person.kind === 'account' ? (
        <fieldset className="person-admin">
          <legend>{t.t('person.adminOnly')}</legend>
          <label htmlFor={`${id}-role`}>{t.t('person.role')}</label>{' '}
          <select id={`${id}-role`} value={person.role ?? 'commenter'} onChange={(e) => void decide(personApi.setRole(person.id, e.target.value as AccountRole))}>
            {ACCOUNT_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
          <div role="group" aria-label={t.t('person.badges')}>
            {BADGES.map((badge) => (
              <label key={badge} className="form-check">
                <input type="checkbox" checked={badges.includes(badge)} onChange={(e) => setBadges((now) => (e.target.checked ? [...now, badge] : now.filter((b) => b !== badge)))} /> {t.t(`badge.${badge}`)}
              </label>
            ))}
            <button type="button" className="button" onClick={() => void decide(personApi.setBadges(person.id, badges))}>
              {t.t('person.saveBadges')}
            </button>
          </div>
        </fieldset>
      ) : null}

      <h2>{t.t('person.notes')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (note.trim() === '') return;
          void decide(personApi.addNote(person.id, note), () => setNote(''));
        }}
      >
        <label htmlFor={`${id}-note`} className="form-label">
          {t.t('person.noteLabel')}
        </label>
        <textarea id={`${id}-note`} className="form-input" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" className="button" disabled={!live}>
          {t.t('person.addNote')}
        </button>
      </form>
      <ul className="person-notes">
        {notes.map((n) => (
          <li key={n.id}>
            <p>{n.text}</p>
            <small>
              {n.authorName} · <time dateTime={n.createdAt}>{t.formatDate(n.createdAt)}</time>
            </small>
          </li>
        ))}
      </ul>

      {person.kind === 'account' ? (
        <>
          <h2>{t.t('person.methods')}</h2>
          <ul className="person-methods">
            {person.methods.map((m) => (
              <li key={`${m.provider}:${m.createdAt}`}>
                {m.method} ({m.provider}){m.email ? ` · ${m.email}` : ''} · {t.t('person.linked', { at: t.localDate(m.createdAt) })} · {t.t('person.lastUsed', { at: t.formatDate(m.lastUsedAt) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>{t.t('person.bans')}</h2>
      {bans.length === 0 ? <p>{t.t('person.none')}</p> : null}
      <ul className="person-bans">
        {bans.map((b) => (
          <li key={b.id} data-in-force={b.inForce}>
            {t.t(b.inForce ? 'person.banInForce' : 'person.banPast')} · {b.until ? t.t('person.until', { until: t.localDate(b.until) }) : t.t('ban.forGood')}
            {b.addressRange ? ` · ${b.addressRange}` : ''} · {b.reason} · {b.createdBy}
          </li>
        ))}
      </ul>

      <h2>{t.t('person.comments')}</h2>
      <p>{Object.entries(comments.counts).map(([status, n]) => `${status}: ${n}`).join(' · ')}</p>
      <ul className="person-comments">
        {comments.items.map(({ comment, thread }) => (
          <li key={comment.id} data-status={comment.status}>
            <span className="badge">{comment.status}</span> {comment.createdAt ? <time dateTime={comment.createdAt}>{t.formatDate(comment.createdAt)}</time> : null} {t.t('desk.on')}{' '}
            <a href={`/articles/${thread.slug}#c-${comment.id}`}>{thread.title}</a>
            <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.html }} />
          </li>
        ))}
      </ul>
      {comments.next ? <a href={`?before=${comments.next}`}>{t.t('person.older')}</a> : null}

      <h2>{t.t('person.reports')}</h2>
      {reports.length === 0 ? <p>{t.t('person.none')}</p> : null}
      <ul>
        {reports.map((r) => (
          <li key={`${r.commentId}:${r.createdAt}`}>
            {reportCategoryLabel(t, r.category)}
            {r.reason ? `: ${r.reason}` : ''} · <time dateTime={r.createdAt}>{t.formatDate(r.createdAt)}</time>
            {r.resolution ? ` · ${r.resolution}` : ''}
          </li>
        ))}
      </ul>

      <h2>{t.t('person.actions')}</h2>
      {actions.length === 0 ? <p>{t.t('person.none')}</p> : null}
      <ul>
        {actions.map((a) => (
          <li key={a.id}>
            <time dateTime={a.at}>{t.formatDate(a.at)}</time> · {a.actorName} · {a.action}
            {a.reason ? ` · ${a.reason}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
