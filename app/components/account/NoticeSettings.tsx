import type { MutedPersonWire, ThreadWatchWire } from '../../../lib/contract/notifications';
import { errorKey } from '../../i18n/errorMessage';
import type { MessageKey, Translator } from '../../i18n/translator';
import { FormSubmit } from '../FormSubmit';

/** What a form of this section did, from the address it came back to (`?notices=` or `?noticesError=&field=`). */
export interface NoticeOutcome {
  done?: string;
  error?: string;
  field?: string;
}

const DONE: Record<string, MessageKey> = { mute: 'account.notices.mute', unmute: 'account.notices.unmute', unwatch: 'account.notices.unwatch' };

/**
 * The settings page's notices section (docs/notifications.md): whom one muted and the threads one
 * follows or blocked, each with a remove button, and muting by name. Plain forms that post to
 * /account/notices/… and come back here: no script at all, so it works without JavaScript.
 */
export function NoticeSettings({ t, mutes, threads, outcome }: { t: Translator; mutes: MutedPersonWire[]; threads: ThreadWatchWire[]; outcome: NoticeOutcome }) {
  const done = outcome.done ? DONE[outcome.done] : undefined;
  return (
    <section className="account-section" id="notices" aria-labelledby="notices-heading">
      <h2 id="notices-heading">{t.t('account.noticesTitle')}</h2>
      <p className="form-note">{t.t('account.noticesNote')}</p>
      {done ? (
        <p className="form-note" role="status" data-testid="notices-done">
          {t.t(done)}
        </p>
      ) : null}
      {outcome.error ? (
        <p className="form-error" role="alert" data-testid="notices-error">
          {t.t(errorKey(outcome.error))}
        </p>
      ) : null}

      <h3 id="mutes-heading">{t.t('account.mutesTitle')}</h3>
      {mutes.length === 0 ? (
        <p>{t.t('account.mutesNone')}</p>
      ) : (
        <ul className="notice-list" aria-labelledby="mutes-heading" data-testid="mutes">
          {mutes.map((m) => {
            const name = m.displayName ?? t.t('account.unknownPerson');
            return (
              <li key={m.personId}>
                <span>{name}</span>
                <form method="post" action="/account/notices/unmute">
                  <input type="hidden" name="personId" value={m.personId} />
                  <button type="submit" className="link-button" aria-label={t.t('account.unmuteLabel', { name })}>
                    {t.t('account.unmute')}
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      )}
      <form method="post" action="/account/notices/mute" className="comment-form">
        <label className="form-label" htmlFor="mute-name">
          {t.t('account.muteName')}
        </label>
        <input
          id="mute-name"
          name="displayName"
          className="form-input"
          required
          maxLength={50}
          autoComplete="off"
          aria-invalid={outcome.field === 'displayName' ? true : undefined}
        />
        <FormSubmit className="button">{t.t('account.mute')}</FormSubmit>
      </form>

      <h3 id="watches-heading">{t.t('account.threadsTitle')}</h3>
      {threads.length === 0 ? (
        <p>{t.t('account.threadsNone')}</p>
      ) : (
        <ul className="notice-list" aria-labelledby="watches-heading" data-testid="watches">
          {threads.map((w) => (
            <li key={w.slug}>
              <span>
                <a href={`/articles/${encodeURIComponent(w.slug)}`}>{w.title}</a> · {t.t(w.mode === 'follow' ? 'account.watchFollow' : 'account.watchBlock')}
              </span>
              <form method="post" action="/account/notices/unwatch">
                <input type="hidden" name="slug" value={w.slug} />
                <button type="submit" className="link-button" aria-label={t.t('account.unwatchLabel', { title: w.title })}>
                  {t.t('account.unwatch')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
