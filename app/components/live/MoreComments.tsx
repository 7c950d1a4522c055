'use client';

import { useId, useRef, useState } from 'react';
import type { Sort } from '../../../lib/contract/api';
import { useTranslator } from '../../i18n/I18nProvider';
import { useFocusFirstArrival } from './useFocusFirstArrival';

/**
 * More branches: a link without JavaScript (the next page, server-rendered),
 * a button that appends them in place with it, both saying how much of the
 * thread is shown ("224 of 1,962 shown"). `onLoad` resolves false when the
 * page could not be loaded; the button is then ready again, with the link beside it.
 * Rendered with a null `cursor` once every branch is here: nothing shows, but
 * the last page's first comment still takes focus from the button it replaced.
 */
export function MoreComments(props: { slug: string; sort: Sort; cursor: string | null; shown: number; total: number; onLoad: (() => Promise<boolean>) | null }) {
  const { slug, sort, cursor, onLoad } = props;
  const t = useTranslator();
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle');
  const button = useRef<HTMLButtonElement>(null);
  const place = useFocusFirstArrival(button);
  const countId = useId();
  if (cursor === null) return null;
  const href = `/articles/${slug}?sort=${sort}&after=${cursor}#comments`;
  const count = (
    <span id={countId} className="more-comments-count">
      {t.t('thread.shownOf', { shown: props.shown, total: props.total })}
    </span>
  );
  if (!onLoad) {
    return (
      <p className="more-comments">
        <a href={href} aria-describedby={countId}>
          {t.t('thread.more')}
        </a>{' '}
        {count}
      </p>
    );
  }
  const loading = state === 'loading';
  return (
    <p className="more-comments">
      {/* aria-disabled, not disabled, while loading: a disabled button drops focus to the top of the page. */}
      <button
        ref={button}
        type="button"
        aria-disabled={loading || undefined}
        aria-describedby={countId}
        onClick={async () => {
          if (loading) return;
          place.before();
          setState('loading');
          const ok = await onLoad();
          setState(ok ? 'idle' : 'failed');
          if (ok) place.arrived();
        }}
      >
        {loading ? t.t('thread.loading') : t.t('thread.more')}
      </button>{' '}
      {count}
      {state === 'failed' ? (
        <span role="alert">
          {' '}
          {t.t('thread.moreFailed')} <a href={href}>{t.t('thread.nextPage')}</a>
        </span>
      ) : null}
    </p>
  );
}
