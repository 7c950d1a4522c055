'use client';

import { useState } from 'react';
import type { Sort } from '../../../lib/contract/api';
import { useTranslator } from '../../i18n/I18nProvider';

/**
 * More branches: a link without JavaScript (the next page, server-rendered),
 * a button that appends them in place with it. `onLoad` resolves false when
 * the page could not be loaded; the button is then ready again, with the link beside it.
 */
export function MoreComments({ slug, sort, cursor, onLoad }: { slug: string; sort: Sort; cursor: string; onLoad: (() => Promise<boolean>) | null }) {
  const t = useTranslator();
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle');
  const href = `/articles/${slug}?sort=${sort}&after=${cursor}#comments`;
  if (!onLoad) {
    return (
      <p className="more-comments">
        <a href={href}>{t.t('thread.more')}</a>
      </p>
    );
  }
  return (
    <p className="more-comments">
      <button
        type="button"
        disabled={state === 'loading'}
        onClick={async () => {
          setState('loading');
          setState((await onLoad()) ? 'idle' : 'failed');
        }}
      >
        {state === 'loading' ? t.t('thread.loading') : t.t('thread.more')}
      </button>
      {state === 'failed' ? (
        <span role="alert">
          {' '}
          {t.t('thread.moreFailed')} <a href={href}>{t.t('thread.nextPage')}</a>
        </span>
      ) : null}
    </p>
  );
}
