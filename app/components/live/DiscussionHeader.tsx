'use client';

import type { Sort } from '../../../lib/contract/api';
import { useTranslator } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translator';
import { commentCountLabel } from '../labels';
import type { ConnectionStatus } from './useThreadConnection';

const STATUS_LABEL: Record<ConnectionStatus, MessageKey> = {
  connecting: 'thread.connecting',
  live: 'thread.live',
  reconnecting: 'thread.reconnecting',
  offline: 'thread.offline',
};

const SORTS: { sort: Sort; label: MessageKey }[] = [
  { sort: 'oldest', label: 'thread.oldest' },
  { sort: 'newest', label: 'thread.newest' },
  { sort: 'top', label: 'thread.top' },
  // Only the branches with an editors' pick (issue 19.1).
  { sort: 'picks', label: 'thread.picks' },
];

/** The Q&A views (lib/domain/questions.ts), links like the sorts: they work without JavaScript. */
const QA_VIEWS: { sort: Sort; label: MessageKey }[] = [
  { sort: 'answered-first', label: 'qa.answeredFirst' },
  { sort: 'answered', label: 'qa.onlyAnswered' },
  { sort: 'unanswered', label: 'qa.unanswered' },
];

/**
 * The count, the connection's state, who is reading (null: not known, as while offline), the keyboard hint and the sort links.
 * What only a live page has (the connection, the count of readers, the keyboard hint) is there from the server's render on,
 * unseen until it applies (`awaiting-live`): the page going live, or the count arriving, moves nothing.
 */
export function DiscussionHeader(props: { slug: string; sort: Sort; count: number; live: boolean; status: ConnectionStatus; reading: number | null; qa?: boolean }) {
  const t = useTranslator();
  const unseenUntil = (shown: boolean) => (shown ? '' : ' awaiting-live');
  return (
    <div className="discussion-header">
      <h2 id="comments-heading">{commentCountLabel(t, props.count)}</h2>
      <div className="discussion-meta">
        {/* Not a live region: what the connection's changes mean for the reader is said by the arrivals pill. The longest
            words it can say take their room unseen (app/globals.css), so a change of state moves nothing beside it. */}
        <span className={`connection connection-${props.status}${unseenUntil(props.live)}`}>
          <span className="connection-dot" aria-hidden="true" />
          <span className="connection-label" data-room-a={t.t(STATUS_LABEL.connecting)} data-room-b={t.t(STATUS_LABEL.reconnecting)}>
            <span>{t.t(STATUS_LABEL[props.status])}</span>
          </span>
        </span>
        {/* Until the count comes, the room of the likeliest one: the reader alone. */}
        <span className={`reading-now${unseenUntil(props.reading !== null)}`}>{t.t('count.reading', { count: props.reading ?? 1 })}</span>
        <p className={`keyboard-hint${unseenUntil(props.live)}`} id="keyboard-hint">
          <span className="visually-hidden">{t.t('thread.keyboardLabel')} </span>
          <KeyboardHint text={t.t('thread.keyboardHint')} />
        </p>
        <nav className="sort-links" aria-label={t.t('thread.sortNav')}>
          <span className="sort-label">{t.t('thread.sortLabel')}</span>
          {SORTS.map(({ sort, label }) => (
            <a key={sort} href={`/articles/${props.slug}?sort=${sort}#comments`} aria-current={sort === props.sort ? 'true' : undefined} className="sort-link">
              {t.t(label)}
            </a>
          ))}
        </nav>
        {props.qa ? (
          <nav className="sort-links qa-views" aria-label={t.t('qa.viewsNav')}>
            <span className="sort-label">{t.t('qa.viewsLabel')}</span>
            {QA_VIEWS.map(({ sort, label }) => (
              <a key={sort} href={`/articles/${props.slug}?sort=${sort}#comments`} aria-current={sort === props.sort ? 'true' : undefined} className="sort-link">
                {t.t(label)}
              </a>
            ))}
          </nav>
        ) : null}
      </div>
    </div>
  );
}

/** The shortcut hint with its keys in <kbd>: `{j}` in the message becomes <kbd>j</kbd>. */
function KeyboardHint({ text }: { text: string }) {
  const KEYS: Record<string, string> = { j: 'j', k: 'k', r: 'r', esc: 'Esc' };
  return (
    <>
      {text.split(/(\{\w+\})/).map((part, i) => {
        const key = /^\{(\w+)\}$/.exec(part)?.[1];
        return key && KEYS[key] ? <kbd key={i}>{KEYS[key]}</kbd> : part;
      })}
    </>
  );
}
