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
];

/** The count, the connection's state, who is reading (null: not shown, as while offline), the keyboard hint and the sort links. */
export function DiscussionHeader(props: { slug: string; sort: Sort; count: number; live: boolean; status: ConnectionStatus; reading: number | null }) {
  const t = useTranslator();
  return (
    <div className="discussion-header">
      <h2 id="comments-heading">{commentCountLabel(t, props.count)}</h2>
      <div className="discussion-meta">
        {props.live ? (
          // Not a live region: what the connection's changes mean for the reader is said by the arrivals pill.
          <span className={`connection connection-${props.status}`}>
            <span className="connection-dot" aria-hidden="true" />
            {t.t(STATUS_LABEL[props.status])}
          </span>
        ) : null}
        {props.reading !== null ? <span className="reading-now">{t.t('count.reading', { count: props.reading })}</span> : null}
        {props.live ? (
          <p className="keyboard-hint" id="keyboard-hint">
            <span className="visually-hidden">{t.t('thread.keyboardLabel')} </span>
            <KeyboardHint text={t.t('thread.keyboardHint')} />
          </p>
        ) : null}
        <nav className="sort-links" aria-label={t.t('thread.sortNav')}>
          <span className="sort-label">{t.t('thread.sortLabel')}</span>
          {SORTS.map(({ sort, label }) => (
            <a key={sort} href={`/articles/${props.slug}?sort=${sort}#comments`} aria-current={sort === props.sort ? 'true' : undefined} className="sort-link">
              {t.t(label)}
            </a>
          ))}
        </nav>
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
